using Bakery.Core.Steps;

namespace Bakery.Testing.Permissions;

/// <summary>
/// What each step's function may do on AWS: exactly the calls the step makes (and the permissions AWS checks along
/// with them), each with the reason. template.yaml's policy of <c>{Step}Function</c> must grant exactly these pairs of
/// action and resource; tests record every AWS call of every step against moto and fail on drift either way (see
/// docs/operations.md, "Least privilege"). Conditions (the <c>bakery:managed</c> tag) are template.yaml's, checked there.
/// </summary>
public static class StepPermissions
{
    private const string Bucket = "${TemplatesBucket.Arn}";

    private const string JsonProtocolClient =
        "sent by Bakery's AWS JSON 1.1 client (no AWSSDK package for the service is served), outside the SDK pipeline the integration runs record";
    private const string AnyObject = "${TemplatesBucket.Arn}/*";
    private const string Staged = "${TemplatesBucket.Arn}/staging/*";
    private const string Inline = "${TemplatesBucket.Arn}/inline/*";
    private const string RenderedPlans = "${TemplatesBucket.Arn}/staging/*/rendered/*";
    private const string Downloads = "${TemplatesBucket.Arn}/staging/*/downloads/*";
    private const string TransferLists = "${TemplatesBucket.Arn}/staging/*/transfers/*";
    private const string Ledger = "${LedgerTable.Arn}";
    private const string Any = "*";

    private const string Instances = "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:instance/*";
    private const string Volumes = "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:volume/*";
    private const string NetworkInterfaces = "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:network-interface/*";
    private const string SpotRequests = "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:spot-instances-request/*";
    private const string SpotServiceLinkedRole = "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/spot.amazonaws.com/AWSServiceRoleForEC2Spot";
    private const string SecurityGroups = "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:security-group/*";
    private const string Subnets = "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:subnet/*";
    private const string Vpcs = "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:vpc/*";
    private const string RegionImages = "arn:${AWS::Partition}:ec2:${AWS::Region}::image/*";
    private const string RegionSnapshots = "arn:${AWS::Partition}:ec2:${AWS::Region}::snapshot/*";
    private const string AllImages = "arn:${AWS::Partition}:ec2:*::image/*";
    private const string AllSnapshots = "arn:${AWS::Partition}:ec2:*::snapshot/*";
    private const string ShellDocument = "arn:${AWS::Partition}:ssm:${AWS::Region}:*:document/AWS-RunShellScript";
    private const string PowerShellDocument = "arn:${AWS::Partition}:ssm:${AWS::Region}:*:document/AWS-RunPowerShellScript";
    private const string BuildKeys = "!Ref BuildKmsKeyArns";
    private const string ThroughEc2 = "EC2 uses the key on the function's behalf (kms:ViaService ec2.*): IAM checks the caller";
    private const string BuilderRole = "${BuilderRole.Arn}";
    private const string DataParameters = "arn:${AWS::Partition}:ssm:*:${AWS::AccountId}:parameter${DataParameterPath}*";
    private const string DataSecrets = "arn:${AWS::Partition}:secretsmanager:*:${AWS::AccountId}:secret:${DataSecretPrefix}*";
    private const string EventBus = "arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/${EventBusName}";
    private const string PublishedParameters = "arn:${AWS::Partition}:ssm:*:${AWS::AccountId}:parameter${ParameterPrefix}*";

    private const string Progress = "records the step's progress (started, succeeded, failed) in the ledger for `bakery status`";

    /// <summary>The step names in workflow order, each with its grants.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<StepPermission>> ByStep { get; } =
        new Dictionary<string, IReadOnlyList<StepPermission>>(StringComparer.Ordinal)
        {
            [StepNames.Prepare] =
            [
                new("s3:GetObject", [AnyObject], "reads the build file, its var file and the scripts and files it references (as the source of the CopyObject that stages them), anywhere in the bucket"),
                new("s3:ListBucket", [Bucket], "lists the build file's bundle (folders a file provisioner uploads, the var file)"),
                new("s3:PutObject", [Staged, Inline], "stages files for the instance under staging/ (CopyObject, multipart above 5 GiB); keeps a console build file under inline/"),
                new("s3:DeleteObject", [Staged], "removes what it staged when it refuses the build after staging (a later builder's name, the state's size)"),
                new("dynamodb:PutItem", [Ledger], "claims the build (a conditional put: a second delivery of the trigger loses)"),
                new("dynamodb:UpdateItem", [Ledger], "sets the build's deadline, records the build file's warnings, or records why Prepare failed; claims a failed build again to resume it (conditional on its hold)"),
                new("dynamodb:GetItem", [Ledger], "a resume reads the failed build's record: its build file, builders, kept images and hold")
                {
                    UsedOnlyInAuthorizationCheck = "only a resume reads it; the authorization check resumes the build that failed after its copy, the integration runs start no resume",
                },
                new("ec2:DescribeImages", [Any], "describes the pinned source_ami (known, EBS-backed) or resolves source_ami_filter, checks ami_name is free, and checks a resumed build's kept images are still there (Describe* has no resource scope)"),
                new("ssm:GetParameter", [DataParameters], "reads an HCL2 template's data \"amazon-parameterstore\", only under the stack's DataParameterPath")
                {
                    UsedOnlyInAuthorizationCheck = "data sources are baked there (an HCL2 template reading a parameter and a secret); the integration runs bake JSON files",
                },
                new("secretsmanager:GetSecretValue", [DataSecrets], "reads an HCL2 template's data \"amazon-secretsmanager\", only secrets named with the stack's DataSecretPrefix")
                {
                    UsedOnlyInAuthorizationCheck = JsonProtocolClient,
                },
                new("events:PutEvents", [EventBus], "puts \"Bakery Build Failed\" on the stack's bus when it refuses a build (the workflow ends there)")
                {
                    UsedOnlyInAuthorizationCheck = JsonProtocolClient,
                },
            ],
            [StepNames.Launch] =
            [
                new("ec2:RunInstances", [Instances, Volumes, NetworkInterfaces], "launches the builder; the new instance, volumes and interface carry bakery:managed"),
                new("ec2:RunInstances", [SpotRequests], "spot_price: the one-time spot request RunInstances makes (InstanceMarketOptions), tagged bakery:managed"),
                new("ec2:RunInstances", [RegionImages, Subnets, SecurityGroups], "the source image, subnet and groups the launch uses"),
                new("ec2:CreateSecurityGroup", [SecurityGroups], "the temporary security group (no inbound rules) when the build names none"),
                new("ec2:CreateSecurityGroup", [Vpcs], "the group is made in the builder's VPC"),
                new("ec2:CreateTags", [Instances, Volumes, NetworkInterfaces, SecurityGroups, SpotRequests], "tags on the new instance, volumes, group and spot request")
                {
                    Implied = "RunInstances and CreateSecurityGroup carry TagSpecifications; EC2 checks ec2:CreateTags with ec2:CreateAction for them",
                },
                new("ec2:DeleteSecurityGroup", [SecurityGroups], "removes its own temporary group when RunInstances is refused (the state that names it is lost with the error)"),
                new("iam:PassRole", [BuilderRole], "hands the builder role to the instance through the instance profile")
                {
                    Implied = "RunInstances with an IamInstanceProfile: IAM checks iam:PassRole on the profile's role",
                },
                new("iam:CreateServiceLinkedRole", [SpotServiceLinkedRole], "the first spot request in an account: EC2 creates AWSServiceRoleForEC2Spot with the caller's permission")
                {
                    Implied = "RunInstances with InstanceMarketOptions: EC2 creates the Spot service-linked role if the account has none",
                },
                new("ec2:DescribeSecurityGroups", [Any], "finds the build's own temporary group on a retried Launch"),
                new("ec2:DescribeSubnets", [Any], "the VPC of subnet_id, for the temporary group"),
                new("kms:CreateGrant", [BuildKeys], "launch_block_device_mappings encrypted with a customer key (BuildKmsKeyArns)") { Implied = ThroughEc2 },
                new("kms:Decrypt", [BuildKeys], "launch_block_device_mappings encrypted with a customer key (BuildKmsKeyArns)") { Implied = ThroughEc2 },
                new("kms:DescribeKey", [BuildKeys], "launch_block_device_mappings encrypted with a customer key (BuildKmsKeyArns)") { Implied = ThroughEc2 },
                new("kms:GenerateDataKeyWithoutPlaintext", [BuildKeys], "launch_block_device_mappings encrypted with a customer key (BuildKmsKeyArns)") { Implied = ThroughEc2 },
                new("kms:ReEncryptFrom", [BuildKeys], "launch_block_device_mappings encrypted with a customer key (BuildKmsKeyArns)") { Implied = ThroughEc2 },
                new("kms:ReEncryptTo", [BuildKeys], "launch_block_device_mappings encrypted with a customer key (BuildKmsKeyArns)") { Implied = ThroughEc2 },
                new("s3:GetObject", [RenderedPlans], "reads the plan Prepare rendered with the real sensitive values, when the state's plan is masked: user_data and every launch setting act with the real value"),
                new("dynamodb:UpdateItem", [Ledger], Progress),
            ],
            [StepNames.WaitForInstance] =
            [
                new("ec2:DescribeInstances", [Any], "is the builder running yet"),
                new("ssm:SendCommand", [ShellDocument, PowerShellDocument], "a harmless command proves the SSM agent is online (DescribeInstanceInformation is not used)"),
                new("ssm:SendCommand", [Instances], "only to instances tagged bakery:managed"),
                new("dynamodb:UpdateItem", [Ledger], Progress),
            ],
            [StepNames.Provision] =
            [
                new("ssm:SendCommand", [ShellDocument, PowerShellDocument], "runs each provisioner with AWS-RunShellScript or AWS-RunPowerShellScript"),
                new("ssm:SendCommand", [Instances], "only to instances tagged bakery:managed"),
                new("ssm:GetCommandInvocation", [Any], "follows each command to its exit code and output tail"),
                new("s3:GetObject", [Staged], "reads staged scripts (small ones go inline in the command) and the rendered plan with sensitive values"),
                new("s3:GetObject", [Staged], "the instance downloads larger scripts and uploaded files")
                {
                    Implied = "through GET URLs Provision presigns: S3 checks the presigner's permission when the instance uses them",
                },
                new("s3:PutObject", [Downloads], "the instance uploads what a file provisioner downloads (direction: download) under staging/.../downloads/")
                {
                    Implied = "through PUT URLs Provision presigns: S3 checks the presigner's permission when the instance uses them",
                },
                new("s3:PutObject", [TransferLists], "writes a folder upload's list of files and their GET URLs under staging/.../transfers/, which the command fetches first"),
                new("s3:ListBucket", [Bucket], "lists a staged folder's files (and tells them from a staged file of the same source); finds a command's full output under staging/.../logs/"),
                new("dynamodb:UpdateItem", [Ledger], Progress),
            ],
            [StepNames.ErrorCleanup] =
            [
                new("ssm:SendCommand", [ShellDocument, PowerShellDocument], "runs the error-cleanup-provisioner, as Provision runs each provisioner, with AWS-RunShellScript or AWS-RunPowerShellScript"),
                new("ssm:SendCommand", [Instances], "only to instances tagged bakery:managed"),
                new("ssm:GetCommandInvocation", [Any], "follows each command to its exit code and output tail"),
                new("s3:GetObject", [Staged], "reads staged scripts (small ones go inline in the command) and the rendered plan with sensitive values"),
                new("s3:GetObject", [Staged], "the instance downloads larger scripts and uploaded files")
                {
                    Implied = "through GET URLs ErrorCleanup presigns (Provision's code): S3 checks the presigner's permission when the instance uses them",
                },
                new("s3:PutObject", [Downloads], "the instance uploads what a file provisioner downloads (direction: download) under staging/.../downloads/")
                {
                    Implied = "through PUT URLs ErrorCleanup presigns (Provision's code): S3 checks the presigner's permission when the instance uses them",
                },
                new("s3:PutObject", [TransferLists], "writes a folder upload's list of files and their GET URLs under staging/.../transfers/, which the command fetches first"),
                new("s3:ListBucket", [Bucket], "lists a staged folder's files (and tells them from a staged file of the same source); finds a command's full output under staging/.../logs/"),
                new("dynamodb:UpdateItem", [Ledger], Progress),
            ],
            [StepNames.StopInstance] =
            [
                new("ec2:StopInstances", [Instances], "stops the builder before the image is made"),
                new("ec2:DescribeInstances", [Any], "waits until it is stopped"),
                new("dynamodb:UpdateItem", [Ledger], Progress),
            ],
            [StepNames.CreateImage] =
            [
                new("ec2:CreateImage", [Instances], "the image of the stopped builder"),
                new("ec2:CreateImage", [RegionImages, RegionSnapshots], "the new image and its snapshots"),
                new("ec2:CreateTags", [RegionImages, RegionSnapshots], "the image and its snapshots carry the build's tags from their first moment")
                {
                    Implied = "CreateImage (and encrypt_boot's CopyImage) carry TagSpecifications; EC2 checks ec2:CreateTags with ec2:CreateAction for them",
                },
                new("ec2:ModifyInstanceAttribute", [Instances], "ena_support and sriov_support are set on the builder before the image is made"),
                new("ec2:CopyImage", [RegionImages, RegionSnapshots], "encrypt_boot: the encrypted copy that replaces the image (its own image only), and its snapshots"),
                new("kms:CreateGrant", [BuildKeys], "encrypt_boot with kms_key_id (BuildKmsKeyArns)") { Implied = ThroughEc2 },
                new("kms:Decrypt", [BuildKeys], "encrypt_boot with kms_key_id (BuildKmsKeyArns)") { Implied = ThroughEc2 },
                new("kms:DescribeKey", [BuildKeys], "encrypt_boot with kms_key_id (BuildKmsKeyArns)") { Implied = ThroughEc2 },
                new("kms:GenerateDataKeyWithoutPlaintext", [BuildKeys], "encrypt_boot with kms_key_id (BuildKmsKeyArns)") { Implied = ThroughEc2 },
                new("kms:ReEncryptFrom", [BuildKeys], "encrypt_boot with kms_key_id (BuildKmsKeyArns)") { Implied = ThroughEc2 },
                new("kms:ReEncryptTo", [BuildKeys], "encrypt_boot with kms_key_id (BuildKmsKeyArns)") { Implied = ThroughEc2 },
                new("ec2:DeregisterImage", [AllImages], "force_deregister of an older Bakery image of the same name, in the build region and each of ami_regions; encrypt_boot drops the unencrypted original"),
                new("ec2:DeleteSnapshot", [AllSnapshots], "force_delete_snapshot, in the build region and each of ami_regions; encrypt_boot drops the unencrypted original's snapshots"),
                new("ec2:DescribeImages", [Any], "waits until the image is available; finds its own image on a retry; force_deregister finds the old ones in every region it writes to"),
                new("s3:GetObject", [RenderedPlans], "reads the plan Prepare rendered with the real sensitive values, when the state's plan is masked: the image gets its real name"),
                new("dynamodb:UpdateItem", [Ledger], Progress),
            ],
            [StepNames.TestImage] =
            [
                new("ec2:RunInstances", [Instances, Volumes, NetworkInterfaces], "launches the test instance; it, its volumes and its interface carry bakery:managed"),
                new("ec2:RunInstances", [RegionImages], "from the build's new image (bakery:managed)"),
                new("ec2:RunInstances", [Subnets, SecurityGroups], "in the builder's subnet and groups"),
                new("ec2:CreateTags", [Instances, Volumes, NetworkInterfaces], "tags on the new test instance, its volumes and interface")
                {
                    Implied = "RunInstances carries TagSpecifications; EC2 checks ec2:CreateTags with ec2:CreateAction for them",
                },
                new("iam:PassRole", [BuilderRole], "hands the builder role to the test instance, so SSM reaches it")
                {
                    Implied = "RunInstances with an IamInstanceProfile: IAM checks iam:PassRole on the profile's role",
                },
                new("ec2:DescribeInstances", [Any], "is the test instance running yet"),
                new("ssm:SendCommand", [ShellDocument, PowerShellDocument], "the reachability probe and the test commands (AWS-RunShellScript or AWS-RunPowerShellScript)"),
                new("ssm:SendCommand", [Instances], "only to instances tagged bakery:role=builder"),
                new("ssm:GetCommandInvocation", [Any], "follows each test command to its exit code and output tail"),
                new("ec2:TerminateInstances", [Instances], "terminates the test instance once the verdict is in"),
                new("ec2:CreateTags", [RegionImages, RegionSnapshots], "bakery:tested on the image; on_failure tag hands a failed image and its snapshots over (bakery:managed=false)"),
                new("s3:GetObject", [Staged], "reads staged test scripts (small ones go inline in the command) and the rendered plan with sensitive values"),
                new("s3:GetObject", [Staged], "the instance downloads larger test scripts")
                {
                    Implied = "through GET URLs TestImage presigns: S3 checks the presigner's permission when the instance uses them",
                },
                new("s3:ListBucket", [Bucket], "finds a test command's full output under staging/.../logs/ when SSM's 24,000 characters cut it")
                {
                    UsedOnlyInAuthorizationCheck = "only a failed test with a cut output reaches it; moto's Run Command always succeeds with no output, so that test is baked in the authorization check, whose stand-in fails the command (FailingCommands)",
                },
                new("dynamodb:UpdateItem", [Ledger], Progress),
            ],
            [StepNames.TagImage] =
            [
                new("ec2:CreateTags", [AllImages, AllSnapshots], "tags and snapshot_tags on the image and its snapshots"),
                new("dynamodb:UpdateItem", [Ledger], Progress),
            ],
            [StepNames.CopyImage] =
            [
                new("ec2:CopyImage", [AllImages, AllSnapshots], "copies the image to each of ami_regions, with its snapshots"),
                new("ec2:CopyImage", [RegionImages], "the source: only an image of this stack (bakery:managed) in the stack's region"),
                new("kms:CreateGrant", [BuildKeys], "region_kms_key_ids (BuildKmsKeyArns)") { Implied = ThroughEc2 },
                new("kms:Decrypt", [BuildKeys], "region_kms_key_ids (BuildKmsKeyArns)") { Implied = ThroughEc2 },
                new("kms:DescribeKey", [BuildKeys], "region_kms_key_ids (BuildKmsKeyArns)") { Implied = ThroughEc2 },
                new("kms:GenerateDataKeyWithoutPlaintext", [BuildKeys], "region_kms_key_ids (BuildKmsKeyArns)") { Implied = ThroughEc2 },
                new("kms:ReEncryptFrom", [BuildKeys], "region_kms_key_ids (BuildKmsKeyArns)") { Implied = ThroughEc2 },
                new("kms:ReEncryptTo", [BuildKeys], "region_kms_key_ids (BuildKmsKeyArns)") { Implied = ThroughEc2 },
                new("ec2:CreateTags", [AllImages, AllSnapshots], "tags each copy and its snapshots like the original (the copy is tagged bakery:managed from its start)"),
                new("ec2:DescribeImages", [Any], "waits until every copy is available"),
                new("s3:GetObject", [RenderedPlans], "reads the plan Prepare rendered with the real sensitive values, when the state's plan is masked: each copy gets the image's real name"),
                new("dynamodb:UpdateItem", [Ledger], Progress),
            ],
            [StepNames.ShareImage] =
            [
                new("ec2:ModifyImageAttribute", [AllImages], "launch permission for ami_users and ami_groups, on the image and its copies"),
                new("ec2:ModifySnapshotAttribute", [AllSnapshots], "create-volume permission for snapshot_users and snapshot_groups"),
                new("s3:GetObject", [RenderedPlans], "reads the plan Prepare rendered with the real sensitive values, when the state's plan is masked: shares with the real ami_users and snapshot_users"),
                new("dynamodb:UpdateItem", [Ledger], Progress),
            ],
            [StepNames.PublishParameter] =
            [
                new("ssm:GetParameter", [PublishedParameters], "finds a region an earlier attempt already wrote (no second version)"),
                new("ssm:PutParameter", [PublishedParameters], "writes the AMI id (aws:ec2:image, overwrite) in each region it landed in; puts an earlier value back"),
                new("ssm:GetParameterHistory", [PublishedParameters], "when a region refuses: the value each region already written held before this build"),
                new("ssm:DeleteParameter", [PublishedParameters], "when a region refuses: removes a parameter this build created"),
                new("ec2:DescribeImages", [Any], "SSM validates an aws:ec2:image value as the caller")
                {
                    Implied = "PutParameter with DataType aws:ec2:image: SSM checks ec2:DescribeImages (Parameter Store user guide, native parameter support for AMI IDs)",
                },
                new("dynamodb:UpdateItem", [Ledger], Progress),
            ],
            [StepNames.Teardown] =
            [
                new("ec2:TerminateInstances", [Instances], "terminates the builder"),
                new("ec2:DeleteSecurityGroup", [SecurityGroups], "deletes the temporary group once the builder is gone"),
                new("ec2:DeregisterImage", [AllImages], "on failure: the half-made image and its copies in other regions (an available image is kept for a resume instead)"),
                new("ec2:DeleteSnapshot", [AllSnapshots], "on failure: their snapshots"),
                new("ec2:DescribeInstances", [Any], "finds the build's tagged instances and waits until they are terminated"),
                new("ec2:DescribeSecurityGroups", [Any], "finds the build's tagged groups"),
                new("ec2:DescribeImages", [Any], "on failure: finds the build's tagged images and their snapshots"),
                new("ec2:DescribeSnapshots", [Any], "on failure: finds the build's tagged snapshots"),
                new("s3:DeleteObject", [Staged], "deletes the build's own staged files (DeleteObjects)"),
                new("s3:ListBucket", [Bucket], "lists the files of a staged folder (one entry in the state) to delete them"),
                new("dynamodb:UpdateItem", [Ledger], Progress),
            ],
            [StepNames.Publish] =
            [
                new("s3:GetObject", [AnyObject], "reads an existing manifest beside the build file to append to it, as Packer does"),
                new("s3:PutObject", [AnyObject], "writes the manifest beside the build file"),
                new("dynamodb:UpdateItem", [Ledger], "closes the build's record with its AMIs or its error, and what a failed build kept for a resume; records progress"),
                new("events:PutEvents", [EventBus], "puts one \"Bakery Build Succeeded\" or \"Bakery Build Failed\" event per build on the stack's bus")
                {
                    UsedOnlyInAuthorizationCheck = JsonProtocolClient,
                },
            ],
            [StepNames.Lifecycle] =
            [
                new("ec2:CreateTags", [AllImages], "joins each new AMI to its family (the bakery:family tag only, on images tagged bakery:managed)"),
                new("ec2:EnableImageDeprecation", [AllImages], "deprecate_at / deprecate_after_days on the new AMI; action deprecate on the family's older images"),
                new("ec2:DisableImage", [AllImages], "action disable on the family's older images"),
                new("ec2:EnableImageDeregistrationProtection", [AllImages], "protect_newest on the new AMI"),
                new("ec2:DisableImageDeregistrationProtection", [AllImages], "protect_newest moves the protection off the family's older images"),
                new("ec2:DeregisterImage", [AllImages], "action deregister on the family's images past keep"),
                new("ec2:DeleteSnapshot", [AllSnapshots], "removes the snapshots of an image it deregistered"),
                new("ec2:DescribeImages", [Any], "lists the family (owner self, tags bakery:managed and bakery:family)"),
                new("ec2:DescribeInstances", [Any], "finds instances still launched from an image past keep (filter image-id)"),
                new("ec2:DescribeLaunchTemplates", [Any], "lists the launch templates, to check each one's versions"),
                new("ec2:DescribeLaunchTemplateVersions", [Any], "finds launch template versions naming an image past keep"),
                new("dynamodb:UpdateItem", [Ledger], Progress),
            ],
            [StepNames.Janitor] =
            [
                new("ec2:DescribeInstances", [Any], "finds builder instances tagged bakery:managed"),
                new("ec2:DescribeSecurityGroups", [Any], "finds temporary groups tagged bakery:managed"),
                new("ec2:TerminateInstances", [Instances], "terminates the instances of dead builds"),
                new("ec2:DeleteSecurityGroup", [SecurityGroups], "deletes the groups of dead builds"),
                new("s3:ListBucket", [Bucket], "lists staging/ for files of dead builds"),
                new("s3:DeleteObject", [Staged], "deletes the staged files of dead builds (DeleteObjects)"),
                new("ec2:DescribeImages", [Any], "finds images tagged bakery:managed and the snapshots behind them"),
                new("ec2:DescribeSnapshots", [Any], "finds snapshots tagged bakery:managed"),
                new("ec2:DeregisterImage", [AllImages], "deregisters the images of failed and abandoned builds (never a succeeded build's)"),
                new("ec2:DeleteSnapshot", [AllSnapshots], "deletes their snapshots once no kept image uses them"),
                new("dynamodb:GetItem", [Ledger], "asks the ledger whether a build is still live"),
                new("dynamodb:Query", [$"{Ledger}/index/recent"], "finds builds still Claimed/Running past their deadline"),
                new("dynamodb:UpdateItem", [Ledger], "marks an abandoned build Failed (BuildAbandoned) before sweeping it"),
            ],
        };

    /// <summary>The template's logical id of the function that runs <paramref name="step"/>.</summary>
    public static string FunctionOf(string step) => $"{step}Function";
}
