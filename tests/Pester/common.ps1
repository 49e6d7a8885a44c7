# Shared by every Pester file: where the built module and the lab are, and small helpers.
# Dot-source it in BeforeAll (and in BeforeDiscovery when test cases need it).
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModulePath = if ($env:VDCPS_MODULE_PATH) { $env:VDCPS_MODULE_PATH } else { Join-Path $RepoRoot 'out/VdcPS/VdcPS.psd1' }
$script:LabDir = if ($env:VDCPS_LAB_DIR) { $env:VDCPS_LAB_DIR } else { Join-Path $RepoRoot '.lab' }
$script:LabClouds = Join-Path $LabDir 'clouds.yaml'
$script:PesterPath = (Get-Module Pester).Path

function Get-PwshInvocation {
    # A fresh pwsh: the native executable when there is one, else the dotnet tool's pwsh.dll.
    $native = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    if (Test-Path $native) { return @{ File = $native; Prefix = @() } }
    return @{ File = 'dotnet'; Prefix = @((Join-Path $PSHOME 'pwsh.dll')) }
}

function Invoke-FreshPwsh {
    # Runs a script block's text in a new pwsh process; returns its output lines.
    param([Parameter(Mandatory)] [string] $Command)
    $pwsh = Get-PwshInvocation
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($Command))
    $lines = & $pwsh.File @($pwsh.Prefix + @('-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded)) 2>&1 | ForEach-Object { "$_" }
    return , @($lines)
}

function Invoke-OpenStack {
    # The independent oracle: Debian's openstack CLI against the lab, JSON parsed.
    param([Parameter(Mandatory, ValueFromRemainingArguments)] [string[]] $Arguments)
    $env:OS_CLIENT_CONFIG_FILE = $LabClouds
    $out = & openstack --os-cloud vdcps-lab @Arguments -f json 2>&1
    if ($LASTEXITCODE -ne 0) { throw "openstack $($Arguments -join ' ') failed: $out" }
    return ($out -join "`n") | ConvertFrom-Json
}

function Invoke-OpenStackRaw {
    param([Parameter(Mandatory, ValueFromRemainingArguments)] [string[]] $Arguments)
    $env:OS_CLIENT_CONFIG_FILE = $LabClouds
    $out = & openstack --os-cloud vdcps-lab @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "openstack $($Arguments -join ' ') failed: $out" }
    return $out
}

function New-TestSecret {
    # A secret that cannot appear by chance in any output: scanning for it proves it leaked.
    return 'Vdc' + [Guid]::NewGuid().ToString('N') + '!x'
}
