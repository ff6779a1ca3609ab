# Runs on a fresh instance of the new AMI: nginx is installed, its configuration is valid and it serves the default site.
set -e
command -v nginx
nginx -t
test -f /var/www/html/index.nginx-debian.html
echo "nginx is ready in this image"
