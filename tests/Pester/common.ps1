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

# ---- The independent oracle: Debian's openstack CLI against the lab.
# A command of the CLI spends 1.5-2 s of CPU importing Python modules before it sends its first request,
# and the tests run hundreds of them on two cores. tests/lab/osc-shim/openstack, first on PATH here, is
# the same command as a native process (arguments, output, standard error, exit code), run by one
# long-lived tests/lab/osc-server.py per test process: openstackclient.shell.main with the same
# arguments, a fresh shell, clients and token each time; only the imports are shared.
# VDCPS_OSC_SERVER=0 runs the real command every time.
$script:OscShim = Join-Path $RepoRoot 'tests/lab/osc-shim'
if (($env:PATH -split [IO.Path]::PathSeparator) -notcontains $OscShim) { $env:PATH = $OscShim + [IO.Path]::PathSeparator + $env:PATH }

function Invoke-OpenStack {
    # The independent oracle: the openstack CLI against the lab, JSON parsed.
    param([Parameter(Mandatory, ValueFromRemainingArguments)] [string[]] $Arguments)
    $env:OS_CLIENT_CONFIG_FILE = $LabClouds
    $out = & openstack --os-cloud vdcps-lab @Arguments -f json 2>&1
    if ($LASTEXITCODE -ne 0) { throw "openstack $($Arguments -join ' ') failed: $out" }
    return (@($out | Where-Object { $_ -isnot [Management.Automation.ErrorRecord] }) -join "`n") | ConvertFrom-Json
}

function Invoke-OpenStackRaw {
    param([Parameter(Mandatory, ValueFromRemainingArguments)] [string[]] $Arguments)
    $env:OS_CLIENT_CONFIG_FILE = $LabClouds
    $out = & openstack --os-cloud vdcps-lab @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "openstack $($Arguments -join ' ') failed: $out" }
    return $out
}

function Invoke-OpenStackBatch {
    # Several read-only commands of the same oracle in one openstack process: the CLI's interactive mode
    # reads them from stdin, one per line, and runs them in order, so a test pays one Python start instead of
    # one per command. Returns the output lines of all commands in order. The interactive mode exits 0 even
    # when a command fails (it writes "Error while executing command: ..." to stderr), so any text on stderr
    # fails the batch.
    param([Parameter(Mandatory)] [string[]] $Command)
    $err = [IO.Path]::GetTempFileName()
    $saved = $env:OS_CLOUD
    try {
        $env:OS_CLOUD = 'vdcps-lab'
        $out = $Command | & openstack 2> $err
        $problem = Get-Content -Raw $err
        if ($LASTEXITCODE -ne 0 -or $problem) { throw "openstack batch ($($Command -join '; ')) failed: $problem" }
        $out
    }
    finally {
        $env:OS_CLOUD = $saved
        Remove-Item $err -ErrorAction SilentlyContinue
    }
}

function New-TestSecret {
    # A secret that cannot appear by chance in any output: scanning for it proves it leaked.
    return 'Vdc' + [Guid]::NewGuid().ToString('N') + '!x'
}

$script:SampleCatalog = Join-Path $RepoRoot 'examples/plans.yaml'

# ---- The lab setup most test files share: Initialize-TestLab in a BeforeAll, Clear-TestLab in the
# AfterAll of the same block. Initialize-TestLab sets
#   $env:OS_CLIENT_CONFIG_FILE  the lab's clouds.yaml ($LabClouds)
#   $env:VDCPS_PLAN_CATALOG     -Catalog, default the sample catalog ($SampleCatalog); -NoCatalog leaves it as it is
#   $env:VDCPS_JOURNAL          a new file name in the temp folder (not created here); -NoJournal leaves it as it is
# then connects: Connect-VdcCloud -Cloud vdcps-lab, the current context from then on (-NoConnect: not
# connected; -PassThru returns the context). Clear-TestLab undoes the latest Initialize-TestLab: it
# deletes that journal file and gives the variables it set the values they had before (it does not
# disconnect). Child processes and thread jobs inherit the variables, as with any $env: value.
$script:TestLabSaved = [System.Collections.Generic.List[object]]::new()

function Initialize-TestLab {
    [CmdletBinding()]
    param([string] $Catalog = $SampleCatalog, [switch] $NoCatalog, [switch] $NoJournal, [switch] $NoConnect, [switch] $PassThru)
    $set = [ordered]@{ OS_CLIENT_CONFIG_FILE = $LabClouds }
    if (-not $NoCatalog) { $set.VDCPS_PLAN_CATALOG = $Catalog }
    if (-not $NoJournal) { $set.VDCPS_JOURNAL = Join-Path ([IO.Path]::GetTempPath()) "vdcps-journal-$([guid]::NewGuid()).jsonl" }
    $before = [ordered]@{}
    foreach ($name in $set.Keys) { $before[$name] = [Environment]::GetEnvironmentVariable($name) }
    $TestLabSaved.Add([pscustomobject]@{ Before = $before; Journal = $set.VDCPS_JOURNAL })
    foreach ($name in $set.Keys) { [Environment]::SetEnvironmentVariable($name, $set[$name]) }
    if (-not $NoConnect) {
        $context = Connect-VdcCloud -Cloud vdcps-lab
        if ($PassThru) { $context }
    }
}

function Clear-TestLab {
    if ($TestLabSaved.Count -eq 0) { return }
    $last = $TestLabSaved[$TestLabSaved.Count - 1]
    $TestLabSaved.RemoveAt($TestLabSaved.Count - 1)
    if ($last.Journal) { Remove-Item $last.Journal -ErrorAction SilentlyContinue }
    foreach ($name in $last.Before.Keys) { [Environment]::SetEnvironmentVariable($name, $last.Before[$name]) }
}

# Our quota keys (the services' own) -> the names `openstack quota show -f json` prints (OSC 6.0).
$script:OscQuotaKey = @{
    'compute.cores' = 'cores'; 'compute.ram' = 'ram'; 'compute.instances' = 'instances'
    'compute.key_pairs' = 'key-pairs'; 'compute.server_groups' = 'server-groups'
    'compute.server_group_members' = 'server-group-members'; 'compute.metadata_items' = 'properties'
    'block-storage.volumes' = 'volumes'; 'block-storage.gigabytes' = 'gigabytes'; 'block-storage.snapshots' = 'snapshots'
    'block-storage.backups' = 'backups'; 'block-storage.backup_gigabytes' = 'backup-gigabytes'
    'block-storage.groups' = 'groups'; 'block-storage.per_volume_gigabytes' = 'per-volume-gigabytes'
    'network.network' = 'networks'; 'network.subnet' = 'subnets'; 'network.port' = 'ports'; 'network.router' = 'routers'
    'network.floatingip' = 'floating-ips'; 'network.security_group' = 'secgroups'
    'network.security_group_rule' = 'secgroup-rules'; 'network.rbac_policy' = 'rbac_policies'; 'network.subnetpool' = 'subnet_pools'
}

function Get-OscQuota {
    # The oracle's view of a project's quotas, keyed like VdcPS's "service.key".
    param([Parameter(Mandatory)] [string] $Project)
    $osc = Invoke-OpenStack quota show $Project
    $result = @{}
    foreach ($key in $OscQuotaKey.Keys) {
        $name = $OscQuotaKey[$key]
        if ($osc.PSObject.Properties.Name -contains $name) { $result[$key] = [long]$osc.$name }
    }
    foreach ($p in $osc.PSObject.Properties | Where-Object Name -match '^(volumes|gigabytes|snapshots)_') {
        $result["block-storage.$($p.Name)"] = [long]$p.Value
    }
    return $result
}

function New-TestTenantName {
    param([string] $Prefix = 't')
    return "$Prefix-" + [guid]::NewGuid().ToString('N').Substring(0, 10)
}

function Remove-TestProject {
    # Cleanup whatever VdcPS left: the user(s) whose default project it is, then the project. Found in
    # Keystone's database (one sqlite3 run; `user list --long` lists every user of the lab), deleted
    # through the openstack CLI.
    # Terminated tenants keep their project, renamed vdcps-terminated-<id>: found by their original name too.
    param([Parameter(Mandatory)] [string] $Name)
    $db = Join-Path $LabDir 'data/keystone.sqlite'
    $n = $Name.Replace("'", "''")
    $projects = @(& sqlite3 -cmd '.timeout 10000' $db ("SELECT id FROM project WHERE name = '$n' AND is_domain = 0 OR id = '$n' OR " +
        "(name LIKE 'vdcps-terminated-%' AND json_extract(extra, '$.vdcps_original_name') = '$n')") | Where-Object { $_ })
    if (-not $projects) { return }
    $in = ($projects | ForEach-Object { "'$_'" }) -join ','
    $users = @(& sqlite3 -cmd '.timeout 10000' $db "SELECT id FROM user WHERE default_project_id IN ($in)")
    $env:OS_CLIENT_CONFIG_FILE = $LabClouds
    if ($users) { & openstack --os-cloud vdcps-lab user delete @users 2>$null | Out-Null }
    & openstack --os-cloud vdcps-lab project delete @projects 2>$null | Out-Null
}

function Repair-LabKeystone {
    # The lab's Keystone runs on sqlite, which ignores ON DELETE CASCADE: a deleted application
    # credential leaves its role rows, sqlite reuses the integer key, and the next credential fails
    # with 409 "Duplicate entry". Real clouds (MySQL/PostgreSQL) cascade; tests that create
    # application credentials call this first; the cleanup itself lives in lab-setup.py, which
    # every lab start runs too.
    & /usr/bin/python3 (Join-Path $RepoRoot 'tests/lab/lab-setup.py') --lab $LabDir keystone | Out-Null
}

function Start-FaultProxy {
    # tests/lab/fault-proxy.py on a free loopback port, in front of the lab; answers once it is ready.
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $process = Start-Process -FilePath /usr/bin/python3 -ArgumentList @((Join-Path $RepoRoot 'tests/lab/fault-proxy.py'), '--port', $port) -PassThru
    $base = "http://127.0.0.1:$port"
    foreach ($i in 1..50) { try { Invoke-RestMethod "$base/__faults" | Out-Null; break } catch { Start-Sleep -Milliseconds 100 } }
    [pscustomobject]@{ Process = $process; Port = $port; Base = $base }
}
