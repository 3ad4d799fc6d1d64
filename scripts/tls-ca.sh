#!/bin/sh
# A private CA and a server certificate signed by it, for the scheduler's and the order book's --tls-cert/--tls-key
# (docs/OPERATIONS.md). Keys are PKCS#8 PEM, as openssl 3 writes them.
#   scripts/tls-ca.sh DIR [NAME...]     NAMEs: the host names and IP addresses clients dial (default: localhost 127.0.0.1)
#   TLS_KEY=rsa scripts/tls-ca.sh DIR   RSA 2048 keys instead of EC P-256
# Writes DIR/ca.pem (give it to clients: --tls-ca or GRIDCHAIN_TLS_CA), DIR/ca.key (keep it offline),
# DIR/server.pem and DIR/server.key (the service's). An existing CA in DIR is reused to sign a new server certificate.
set -eu
[ $# -ge 1 ] || { echo "usage: $0 DIR [NAME...]" >&2; exit 2; }
dir=$1; shift
[ $# -ge 1 ] || set -- localhost 127.0.0.1
case "${TLS_KEY:-ec}" in
  ec) newkey="-newkey ec -pkeyopt ec_paramgen_curve:P-256" ;;
  rsa) newkey="-newkey rsa:2048" ;;
  *) echo "TLS_KEY must be ec or rsa" >&2; exit 2 ;;
esac
san=""
for n in "$@"; do
  case $n in
    *:*) san="$san,IP:$n" ;;
    *[!0-9.]*) san="$san,DNS:$n" ;;
    *) san="$san,IP:$n" ;;
  esac
done
mkdir -p "$dir"
umask 077
if [ ! -f "$dir/ca.pem" ]; then
  openssl req -x509 $newkey -nodes -keyout "$dir/ca.key" -out "$dir/ca.pem" -days 3650 \
    -subj "/CN=gridchain private CA" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
fi
openssl req $newkey -nodes -keyout "$dir/server.key" -out "$dir/server.csr" -subj "/CN=$1" 2>/dev/null
printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "${san#,}" > "$dir/server.ext"
openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial \
  -out "$dir/server.pem" -days 825 -extfile "$dir/server.ext" 2>/dev/null
rm -f "$dir/server.csr" "$dir/server.ext"
chmod 644 "$dir/ca.pem" "$dir/server.pem"
echo "$dir/ca.pem $dir/server.pem $dir/server.key"
