#!/bin/bash
# A Runtime API client in shell, so the local Lambda service is tested apart from our C# loop.
# _HANDLER picks the behaviour.
api="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime"
if [ "$_HANDLER" = InitFail ]; then
  curl -sS -X POST "$api/init/error" -H 'Lambda-Runtime-Function-Error-Type: BuildFileInvalid' \
    -d '{"errorType":"BuildFileInvalid","errorMessage":"init failed on purpose"}'
  exit 1
fi
echo "fake bootstrap $$ serving $_HANDLER"
headers=$(mktemp)
while true; do
  body=$(curl -sS -D "$headers" "$api/invocation/next") || exit 2
  id=$(grep -i '^Lambda-Runtime-Aws-Request-Id:' "$headers" | cut -d' ' -f2 | tr -d '\r')
  case "$_HANDLER" in
    Echo)
      curl -sS -X POST "$api/invocation/$id/response" \
        -d "{\"event\":$body,\"pid\":$$,\"greeting\":\"$GREETING\",\"bucket\":\"$BAKERY_BUCKET\",\"self\":\"$SELF_ARN\",\"endpoint\":\"$AWS_ENDPOINT_URL\",\"memory\":\"$AWS_LAMBDA_FUNCTION_MEMORY_SIZE\"}" ;;
    SlowEcho)
      sleep 2
      curl -sS -X POST "$api/invocation/$id/response" -d "{\"pid\":$$}" ;;
    Fail)
      curl -sS -X POST "$api/invocation/$id/error" -H 'Lambda-Runtime-Function-Error-Type: ProvisionerFailed' \
        -d '{"errorType":"ProvisionerFailed","errorMessage":"script exited 3"}' ;;
    Sleep)
      sleep 60 ;;
    Crash)
      exit 7 ;;
  esac
done
