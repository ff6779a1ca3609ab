# Prepares a Windows image: runs under the powershell provisioner.
$ErrorActionPreference = "Stop"
Write-Output "installing features"
