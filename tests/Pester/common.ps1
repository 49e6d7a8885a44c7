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
# and the tests run hundreds of them on two cores. tests/lab/osc-server.py runs the same CLI
# (openstackclient.shell.main with the same arguments, a fresh shell, clients and token each time) in
# one Python process per test process, so only the imports are shared. `openstack` below replaces the
# command in every test file: same arguments, output lines, standard error lines (as error records, so
# 2>&1 and 2>$null work as with the command) and $LASTEXITCODE. A command that reads standard input
# (the CLI's shell) runs as a process. VDCPS_OSC_SERVER=0 runs every command as a process.
$script:OscServer = $null

function Get-OscServer {
    if ($script:OscServer -and -not $script:OscServer.HasExited) { return $script:OscServer }
    $info = [Diagnostics.ProcessStartInfo]::new('/usr/bin/python3')
    $info.ArgumentList.Add((Join-Path $RepoRoot 'tests/lab/osc-server.py'))
    $info.RedirectStandardInput = $true
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $false
    $info.UseShellExecute = $false
    $info.StandardOutputEncoding = [Text.UTF8Encoding]::new($false)
    $process = [Diagnostics.Process]::Start($info)
    $ready = $process.StandardOutput.ReadLine()
    if ($ready -notmatch '"ready"') { throw "tests/lab/osc-server.py did not start: $ready" }
    $script:OscServer = $process
    return $process
}

function openstack {
    # The openstack command, through the oracle process (see above).
    if ($env:VDCPS_OSC_SERVER -eq '0' -or $MyInvocation.ExpectingInput) {
        $exe = (Get-Command openstack -CommandType Application | Select-Object -First 1).Source
        if ($MyInvocation.ExpectingInput) { $input | & $exe @args } else { & $exe @args }
        return
    }
    $environment = @{}
    Get-ChildItem env: | Where-Object Name -Like 'OS_*' | ForEach-Object { $environment[$_.Name] = $_.Value }
    # as for a native command: an array argument is several arguments
    $argv = @(foreach ($a in $args) { foreach ($item in @($a)) { "$item" } })
    $request = @{ argv = $argv; env = $environment } | ConvertTo-Json -Compress -Depth 3
    $server = Get-OscServer
    [Threading.Monitor]::Enter($server)
    try {
        $server.StandardInput.WriteLine($request)
        $server.StandardInput.Flush()
        $line = $server.StandardOutput.ReadLine()
    }
    finally { [Threading.Monitor]::Exit($server) }
    if ($null -eq $line) { $script:OscServer = $null; throw 'tests/lab/osc-server.py ended unexpectedly' }
    $answer = $line | ConvertFrom-Json
    foreach ($text in @($answer.out)) {
        if ($text) { $text.TrimEnd([char[]]"`r`n") -split '\r?\n' }
    }
    if ($answer.err) {
        foreach ($e in $answer.err.TrimEnd([char[]]"`r`n") -split '\r?\n') {
            Write-Error -Message $e -Category FromStdErr -ErrorId NativeCommandError -ErrorAction Continue
        }
    }
    $global:LASTEXITCODE = [int]$answer.rc
}

function Invoke-OpenStack {
    # The independent oracle: the openstack CLI against the lab, JSON parsed.
    param([Parameter(Mandatory, ValueFromRemainingArguments)] [string[]] $Arguments)
    $env:OS_CLIENT_CONFIG_FILE = $LabClouds
    $out = openstack --os-cloud vdcps-lab @Arguments -f json 2>&1
    if ($LASTEXITCODE -ne 0) { throw "openstack $($Arguments -join ' ') failed: $out" }
    return (@($out | Where-Object { $_ -isnot [Management.Automation.ErrorRecord] }) -join "`n") | ConvertFrom-Json
}

function Invoke-OpenStackRaw {
    param([Parameter(Mandatory, ValueFromRemainingArguments)] [string[]] $Arguments)
    $env:OS_CLIENT_CONFIG_FILE = $LabClouds
    $out = openstack --os-cloud vdcps-lab @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "openstack $($Arguments -join ' ') failed: $out" }
    return $out
}

function New-TestSecret {
    # A secret that cannot appear by chance in any output: scanning for it proves it leaked.
    return 'Vdc' + [Guid]::NewGuid().ToString('N') + '!x'
}

$script:SampleCatalog = Join-Path $RepoRoot 'examples/plans.yaml'

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
    if ($users) { openstack --os-cloud vdcps-lab user delete @users 2>$null | Out-Null }
    openstack --os-cloud vdcps-lab project delete @projects 2>$null | Out-Null
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
