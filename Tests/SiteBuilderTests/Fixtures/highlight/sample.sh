# Create a token; $KEY comes from the environment.
export APP="https://${HOST}/v1"
curl -s -X POST "$APP/connect/tokens" \
  -H "Authorization: Bearer $KEY" --data '{"user_id": "a#b"}' # trailing comment
for i in 1 2; do echo "$i"; done
