#!/bin/sh
echo "setting up the folder build"
