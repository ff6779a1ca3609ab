set -x

apt update

apt -y install nginx
