#!/bin/sh
# Patroni runs as postgres; the data volume is created root-owned.
set -e
mkdir -p /var/lib/postgresql/data /var/run/postgresql
chown postgres:postgres /var/lib/postgresql/data /var/run/postgresql
chmod 0700 /var/lib/postgresql/data
# Per-node GUC read by the writes table's default (see post-bootstrap.sh).
echo "faultline.node = '${PATRONI_NAME:?}'" > /etc/patroni/node.conf
export HOME=/var/lib/postgresql
exec setpriv --reuid=postgres --regid=postgres --init-groups patroni /etc/patroni/patroni.yml
