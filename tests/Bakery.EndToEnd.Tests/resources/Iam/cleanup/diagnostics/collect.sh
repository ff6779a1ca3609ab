#!/bin/sh
journalctl -b > /tmp/journal.txt
