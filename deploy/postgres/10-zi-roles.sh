#!/bin/sh
# The db service's first start (a new volume): the owner and application roles and the
# database, from zi-roles.psql next to this file. The owner's password is a secret file that
# only this service and `migrate` see; the application's is in its own environment anyway.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v dbname="${ZI_DB_NAME:-zi}" \
  -v owner="${ZI_DB_OWNER:-zi_owner}" \
  -v owner_password="$(cat "${ZI_DB_OWNER_PASSWORD_FILE:-/run/secrets/db_owner_password}")" \
  -v app="${ZI_DB_APP:-zi_app}" \
  -v app_password="${ZI_DB_APP_PASSWORD:?set ZI_DB_APP_PASSWORD in .env}" \
  -f "$(dirname "$0")/zi-roles.psql"
