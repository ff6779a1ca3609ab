#!/usr/bin/env bash
# Deploys Bakery to the AWS account and region of the current credentials.
#
#   infra/deploy.sh STACK [--parameter-overrides Key=Value ...]
#
# 1. publishes the Native AOT `bootstrap` (functions/Bakery.Functions, linux-x64) to .bakery/publish/bootstrap/
#    (template.yaml's CodeUri for every function; the tests' published-bootstrap cache lives there too);
# 2. `sam deploy` when the SAM CLI is installed, else `aws cloudformation package` + `deploy`
#    (the Serverless transform is expanded by CloudFormation itself).
# Extra arguments are passed to the deploy command (e.g. --parameter-overrides ScheduleExpression="rate(1 day)"
# ScheduledBuildKey=builds/base/base.json). Needs: .NET SDK, AWS CLI v2 (or SAM CLI), credentials, a region.
set -euo pipefail

die() { echo "deploy.sh: $*" >&2; exit 1; }

[[ $# -ge 1 && -n "$1" && "$1" != -* ]] || die "usage: infra/deploy.sh STACK [deploy options...]"
stack="$1"
shift
[[ "$stack" =~ ^[A-Za-z][A-Za-z0-9-]{0,127}$ ]] || die "'$stack' is not a valid stack name (letters, digits, '-', starting with a letter)"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

command -v dotnet >/dev/null || die "the .NET SDK is required to publish the bootstrap (https://dot.net)"
command -v aws >/dev/null || die "the AWS CLI v2 is required (it also finds the account and, without SAM, packages the stack)"

region="${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region 2>/dev/null || true)}}"
[[ -n "$region" ]] || die "no AWS region: set AWS_REGION or run 'aws configure'"
account="$(aws sts get-caller-identity --query Account --output text 2>/dev/null)" \
  || die "no usable AWS credentials (aws sts get-caller-identity failed): configure credentials or a profile first"

publish_dir="$root/.bakery/publish/bootstrap"
echo "==> Publishing bootstrap (Native AOT, linux-x64) to ${publish_dir#"$root"/}"
rm -rf "$publish_dir"
dotnet publish functions/Bakery.Functions -r linux-x64 -c Release -o "$publish_dir" --nologo
[[ -f "$publish_dir/bootstrap" && -x "$publish_dir/bootstrap" ]] || die "publish did not produce $publish_dir/bootstrap"
# Only the executable ships: debug symbols and other publish leftovers stay out of the zip.
find "$publish_dir" -mindepth 1 ! -name bootstrap -delete

echo "==> Deploying stack '$stack' to account $account in $region"
if command -v sam >/dev/null; then
  sam deploy --template-file template.yaml --stack-name "$stack" --region "$region" \
    --resolve-s3 --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND \
    --no-fail-on-empty-changeset --no-confirm-changeset "$@"
else
  artifacts="bakery-artifacts-$account-$region"
  if ! aws s3api head-bucket --bucket "$artifacts" --region "$region" 2>/dev/null; then
    echo "==> Creating artifact bucket $artifacts"
    if [[ "$region" == us-east-1 ]]; then
      aws s3api create-bucket --bucket "$artifacts" --region "$region" >/dev/null
    else
      aws s3api create-bucket --bucket "$artifacts" --region "$region" \
        --create-bucket-configuration LocationConstraint="$region" >/dev/null
    fi
    aws s3api put-public-access-block --bucket "$artifacts" --region "$region" --public-access-block-configuration \
      BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
  fi
  packaged="$root/.bakery/packaged.yaml"
  aws cloudformation package --template-file template.yaml --s3-bucket "$artifacts" \
    --s3-prefix "$stack" --output-template-file "$packaged" --region "$region"
  aws cloudformation deploy --template-file "$packaged" --stack-name "$stack" --region "$region" \
    --capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --no-fail-on-empty-changeset "$@"
fi

echo "==> Stack outputs (also in SSM parameter /bakery/$stack/config)"
aws cloudformation describe-stacks --stack-name "$stack" --region "$region" \
  --query 'Stacks[0].Outputs[].[OutputKey,OutputValue]' --output table
