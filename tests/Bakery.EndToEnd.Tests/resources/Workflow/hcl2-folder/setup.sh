#!/bin/sh
echo "folder build"
