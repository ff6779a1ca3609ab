#!/bin/sh -e
# Uses the secret without holding it: the value arrives in the environment (environment_vars).
echo "configuring the database client"
printf '%s\n' "$DB_PASSWORD" > /etc/app.secret
