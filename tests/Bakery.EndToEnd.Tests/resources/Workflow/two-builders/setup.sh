#!/bin/sh
# Staged once for both builders of two_builders.json: neither builder's own Teardown may remove it while the other
# still provisions; the build's final Teardown must.
echo "setting up"
