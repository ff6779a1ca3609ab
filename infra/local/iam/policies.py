#!/usr/bin/env python3
"""The IAM policies template.yaml gives each Lambda function, as AWS would hold them after deployment.

Runs the SAM transform with samtranslator (through cfn-lint's wrapper, which bundles SAM's managed-policy map, so
policy templates and managed policies expand as `sam deploy` would), then resolves the intrinsic functions in each
function role's policies with the values of one local stack (account, region, partition, resource names and
parameters given on the command line). Prints {"functions": {LogicalId: [policy documents]}, "roles": {...}}.

usage: policies.py TEMPLATE --region R --account A [--name LogicalId=physical]... [--parameter Name=value]...
"""
import argparse
import json
import logging
import re
import sys

from cfnlint.decode import decode
from cfnlint.template.transforms._sam import Transform


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("template")
    parser.add_argument("--region", required=True)
    parser.add_argument("--account", required=True)
    parser.add_argument("--stack", default="bakery")
    parser.add_argument("--name", action="append", default=[], help="LogicalId=physical name (what !Ref gives)")
    parser.add_argument("--parameter", action="append", default=[], help="Name=value of a stack parameter")
    return parser.parse_args()


# What Fn::GetAtt X.Arn gives for each resource type the template's policies name (IAM User Guide, "IAM ARNs"; each
# service's "Actions, resources, and condition keys" page for its resource ARN formats).
ARN_FORMS = {
    "AWS::S3::Bucket": "arn:{partition}:s3:::{name}",
    "AWS::DynamoDB::Table": "arn:{partition}:dynamodb:{region}:{account}:table/{name}",
    "AWS::Lambda::Function": "arn:{partition}:lambda:{region}:{account}:function:{name}",
    "AWS::StepFunctions::StateMachine": "arn:{partition}:states:{region}:{account}:stateMachine:{name}",
    "AWS::IAM::Role": "arn:{partition}:iam::{account}:role/{name}",
    "AWS::IAM::InstanceProfile": "arn:{partition}:iam::{account}:instance-profile/{name}",
    "AWS::Logs::LogGroup": "arn:{partition}:logs:{region}:{account}:log-group:{name}:*",
    "AWS::KMS::Key": "arn:{partition}:kms:{region}:{account}:key/{name}",
}


def resources_of(template, kind):
    """(logical id, properties) of each resource of the given type."""
    return [(name, resource.get("Properties", {})) for name, resource in template["Resources"].items() if resource["Type"] == kind]


class Resolver:
    def __init__(self, template, args):
        self.template = template
        self.region = args.region
        self.account = args.account
        self.partition = "aws"
        self.names = dict(item.split("=", 1) for item in args.name)
        self.parameters = {}
        for name, definition in template.get("Parameters", {}).items():
            if "Default" in definition:
                self.parameters[name] = definition["Default"]
        for item in args.parameter:
            name, value = item.split("=", 1)
            self.parameters[name] = value
        self.pseudo = {
            "AWS::Region": self.region,
            "AWS::AccountId": self.account,
            "AWS::Partition": self.partition,
            "AWS::StackName": args.stack,
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::NoValue": None,
        }

    def ref(self, name):
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.parameters:
            value = self.parameters[name]
            kind = self.template["Parameters"][name].get("Type", "String")
            if kind in ("CommaDelimitedList", "List<String>") and isinstance(value, str):
                return [v.strip() for v in value.split(",")] if value else []
            return value
        if name in self.names:
            return self.names[name]
        resource = self.template["Resources"].get(name)
        if resource is None:
            raise SystemExit(f"policies.py: !Ref {name}: no such parameter or resource")
        return self.arn(name, resource) if resource["Type"] in ("AWS::StepFunctions::StateMachine",) else name

    def arn(self, name, resource):
        form = ARN_FORMS.get(resource["Type"])
        if form is None:
            raise SystemExit(f"policies.py: no ARN form for {name} ({resource['Type']})")
        return form.format(partition=self.partition, region=self.region, account=self.account, name=self.names.get(name, name))

    def get_att(self, name, attribute):
        resource = self.template["Resources"].get(name)
        if resource is None:
            raise SystemExit(f"policies.py: !GetAtt {name}.{attribute}: no such resource")
        if attribute == "Arn":
            return self.arn(name, resource)
        return f"{self.names.get(name, name)}.{attribute}"

    def sub(self, text, variables):
        def replace(match):
            token = match.group(1)
            if token.startswith("!"):
                return "${" + token[1:] + "}"
            if token in variables:
                return str(self.resolve(variables[token]))
            if "." in token and token not in self.pseudo:
                resource, attribute = token.split(".", 1)
                return str(self.get_att(resource, attribute))
            value = self.ref(token)
            if isinstance(value, list):
                raise SystemExit(f"policies.py: ${{{token}}} is a list inside !Sub")
            return str(value)

        return re.sub(r"\$\{([^}]+)\}", replace, text)

    def condition(self, name):
        return bool(self.resolve(self.template.get("Conditions", {})[name]))

    def resolve(self, node):
        if isinstance(node, list):
            values = [self.resolve(item) for item in node]
            return [value for value in values if value is not None]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            (key, value), = node.items()
            if key == "Ref":
                return self.ref(value)
            if key == "Fn::GetAtt":
                name, attribute = value if isinstance(value, list) else value.split(".", 1)
                return self.get_att(name, attribute)
            if key == "Fn::Sub":
                if isinstance(value, list):
                    return self.sub(value[0], value[1])
                return self.sub(value, {})
            if key == "Fn::Join":
                return value[0].join(str(item) for item in self.resolve(value[1]))
            if key == "Fn::Split":
                return self.resolve(value[1]).split(value[0])
            if key == "Fn::Select":
                return self.resolve(value[1])[int(self.resolve(value[0]))]
            if key == "Fn::If":
                return self.resolve(value[1] if self.condition(value[0]) else value[2])
            if key == "Fn::Equals":
                return self.resolve(value[0]) == self.resolve(value[1])
            if key == "Fn::Not":
                return not self.resolve(value[0])
            if key == "Fn::And":
                return all(self.resolve(item) for item in value)
            if key == "Fn::Or":
                return any(self.resolve(item) for item in value)
            if key == "Condition":
                return self.condition(value)
        return {key: self.resolve(value) for key, value in node.items()}


def main():
    args = parse_args()
    logging.disable(logging.CRITICAL)
    template, errors = decode(args.template)
    if errors:
        raise SystemExit(f"policies.py: {args.template}: {errors}")
    transform = Transform(args.template, template, args.region)
    problems = transform.transform_template()
    if problems:
        raise SystemExit(f"policies.py: the SAM transform failed: {problems}")
    transformed = transform.template()
    resolver = Resolver(transformed, args)

    roles = {
        name: {
            "policies": [resolver.resolve(policy["PolicyDocument"]) for policy in properties.get("Policies", [])],
            "managedPolicyArns": [resolver.resolve(arn) for arn in properties.get("ManagedPolicyArns", [])],
        }
        for name, properties in resources_of(transformed, "AWS::IAM::Role")
    }

    functions = {}
    for name, properties in resources_of(transformed, "AWS::Lambda::Function"):
        role = properties["Role"]
        role_name = role["Fn::GetAtt"][0] if isinstance(role, dict) and "Fn::GetAtt" in role else None
        if role_name is None or role_name not in roles:
            raise SystemExit(f"policies.py: {name} has no role of this template")
        functions[name] = roles[role_name]

    json.dump({"functions": functions, "roles": roles}, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
