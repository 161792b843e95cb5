#!/usr/bin/env bash
# Development only: a patient session in a minute. Against a silo started with
#   ASPNETCORE_ENVIRONMENT=Development dotnet run --project silo
# it enrols one made-up insured person through the operator API (the development operator key
# of silo/appsettings.Development.json), activates the space with the code the silo e-mailed
# to its mail pickup folder, logs in with the e-mailed second factor, and prints the access
# token to send as `Authorization: Bearer` (valid one hour; run the script again for another).
#
# Settings (environment): MES_URL (default http://127.0.0.1:5080), MES_DATA (the silo's data
# folder, default silo/data), MES_OPERATOR_KEY, MES_PASSWORD.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
base=${MES_URL:-http://127.0.0.1:5080}
data=${MES_DATA:-$root/silo/data}
operator_key=${MES_OPERATOR_KEY:-development-operator-key-not-for-production}
password=${MES_PASSWORD:-Dev-Password-42!}

fail() { echo "dev-patient: $*" >&2; exit 1; }
field() { grep -o "\"$1\":\"[^\"]*\"" | head -1 | cut -d'"' -f4; }

curl -fsS "$base/health" >/dev/null || fail "no healthy silo at $base (start it first, in Development)"

# A valid NIR: sex, year, month, department 75, commune and order at random, then its key.
first13=$(printf '1850175%03d%03d' $((RANDOM % 999 + 1)) $((RANDOM % 999 + 1)))
nir=$first13$(printf '%02d' $((97 - 10#$first13 % 97)))
email="dev-$nir-$RANDOM@example.org"
serial=$((100000000 + RANDOM * 1000 + RANDOM % 1000))
today=$(date -u +%F)

import=$(printf 'nir;birth_name;first_names;birth_date;sex;email;postal_address;vitale_serial;vitale_card_type;notification_date\n%s;Dupont;Camille;1985-01-15;M;%s;;%s;with_photo;%s\n' \
    "$nir" "$email" "$serial" "$today" |
    curl -fsS -X POST "$base/api/operator/enrolments?fileName=dev-patient.csv" -H "Authorization: Bearer $operator_key" \
        -H 'Content-Type: text/csv' --data-binary @-) ||
    fail "the operator key was refused: is the silo running with ASPNETCORE_ENVIRONMENT=Development?"
import_id=$(echo "$import" | field importId)

# The body of the newest mail to $email whose subject contains $2 (MailKit writes base64 or
# quoted-printable; the codes are ASCII either way once decoded).
mail_body() {
    local file
    file=$(grep -l -i "^To: .*$1" "$data"/mail/*.eml 2>/dev/null | xargs -r ls -t | while read -r f; do
        if grep -q -i "^Subject: .*$2" "$f"; then echo "$f"; break; fi
    done)
    [ -n "$file" ] || return 1
    if grep -q -i '^Content-Transfer-Encoding: base64' "$file"; then
        sed '1,/^\r\?$/d' "$file" | tr -d '\r' | base64 -d
    else
        sed '1,/^\r\?$/d' "$file" | tr -d '\r' | sed -e ':a' -e '/=$/{N;s/=\n//;ba}'
    fi
}

wait_for() {
    for _ in $(seq 1 120); do
        if out=$("$@" 2>/dev/null) && [ -n "$out" ]; then echo "$out"; return 0; fi
        sleep 0.5
    done
    return 1
}

activation_code() { mail_body "$email" activation | grep -o -E '\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{5}\b' | tail -1; }
code=$(wait_for activation_code) ||
    fail "no activation e-mail for $email in $data/mail (import $import_id; is MES_DATA the silo's data folder?)"

curl -fsS -X POST "$base/api/activation" -H 'Content-Type: application/json' \
    -d "{\"code\":\"$code\",\"nir\":\"$nir\",\"vitaleSerial\":\"$serial\",\"cardType\":\"WithPhoto\",\"email\":\"$email\",\"password\":\"$password\"}" >/dev/null ||
    fail "activation refused"

challenge=$(curl -fsS -X POST "$base/api/auth/login" -H 'Content-Type: application/json' -d "{\"email\":\"$email\",\"password\":\"$password\"}" | field challengeId)
login_code() { mail_body "$email" connexion | grep -o -E '\b[0-9]{6}\b' | head -1; }
otp=$(wait_for login_code) || fail "no login code e-mail for $email"
token=$(curl -fsS -X POST "$base/api/auth/login/verify" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$email\",\"challengeId\":\"$challenge\",\"code\":\"$otp\"}" | field accessToken)
[ -n "$token" ] || fail "login verification refused"

echo "patient: $email (NIR $nir), password $password" >&2
echo "try:     curl -H 'Authorization: Bearer $token' $base/api/me" >&2
echo "$token"
