# Bakery's own settings for web.pkr.hcl: the schema of NAME.bakery.json written in HCL (docs/build-files.md).
# Blocks are setting groups; values are plain HCL (functions work, variables do not: this file has none).
publish_parameter {
  name = "/golden/{{build_name}}/latest"
}

capacity {
  fallback_instance_types = ["t3a.micro", "t2.micro"]
}
