#!/bin/sh
# Runs once, on the node that initialises the cluster: the app's role, database and table.
# `node` records which Postgres accepted each write (from the per-node GUC faultline.node), so a
# write taken by a primary that is later demoted can be told apart.
set -e
psql -v ON_ERROR_STOP=1 "$1" <<'SQL'
CREATE ROLE app LOGIN PASSWORD 'app';
CREATE DATABASE app OWNER app;
\connect app
SET ROLE app;
CREATE TABLE writes (
  id         text PRIMARY KEY,
  value      text,
  zone       text,
  node       text NOT NULL DEFAULT current_setting('faultline.node', true),
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
SQL
