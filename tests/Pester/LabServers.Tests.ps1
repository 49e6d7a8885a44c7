#Requires -Version 7.2
<#
.SYNOPSIS
    Real servers in the lab: one server's whole life, driven and checked with the openstack CLI.
.DESCRIPTION
    Needs a running lab (tests/lab/lab.sh start): nova-conductor, nova-scheduler and one
    nova-compute with the fake virt driver (host vdcps-compute), Placement, Glance with the image
    vdcps-tiny, the flavors m1.tiny and m1.small. A throw-away tenant (project + member user) boots
    one server without a network (microversion 2.37, --nic none) with its own credential, then
    stops, starts, shelves (offloaded at once), unshelves, resizes (confirmed) and deletes it.
    Every state is read back as admin. Last, `openstack usage show` must report the hours Nova
    recorded for its life: from its last launched_at (Nova resets it on unshelve and resize)
    to its deletion. Times per action are printed, never asserted.
#>

Describe 'Real servers in the lab (fake virt driver)' -Tag Lab {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'common.ps1')
        $script:Project = New-TestTenantName 'lab-srv'
        $script:UserName = "$Project-user"
        $script:UserPassword = New-TestSecret
        $script:ServerName = "$Project-vm1"
        $script:ServerId = $null
        $script:Timings = [ordered]@{}
        # Nova's power states as `openstack server show -f json` prints them (OSC 6.0: numbers)
        $script:Running = 1
        $script:Shutdown = 4

        $p = Invoke-OpenStack project create --domain default --description 'LabServers.Tests.ps1' $Project
        $script:ProjectId = $p.id
        Invoke-OpenStack user create --domain default --project $ProjectId --password $UserPassword $UserName | Out-Null
        Invoke-OpenStackRaw role add --user $UserName --project $ProjectId member | Out-Null

        # The tenant's own credential, in a clouds.yaml of its own (not on any command line).
        $script:TenantClouds = Join-Path $TestDrive 'tenant-clouds.yaml'
        @"
clouds:
  lab-tenant:
    auth:
      auth_url: http://127.0.0.1:5000/v3
      username: $UserName
      password: $UserPassword
      user_domain_id: default
      project_id: $ProjectId
    region_name: RegionOne
    interface: public
    identity_api_version: 3
"@ | Set-Content -Path $TenantClouds

        # openstack as the tenant; returns parsed JSON (or the raw lines with -Raw)
        function Invoke-TenantOsc {
            param([Parameter(Mandatory)] [string[]] $Arguments, [switch] $Raw)
            $saved = $env:OS_CLIENT_CONFIG_FILE
            $env:OS_CLIENT_CONFIG_FILE = $TenantClouds
            try {
                $out = if ($Raw) { & openstack --os-cloud lab-tenant @Arguments 2>&1 }
                else { & openstack --os-cloud lab-tenant @Arguments -f json 2>&1 }
                if ($LASTEXITCODE -ne 0) { throw "openstack (tenant) $($Arguments -join ' ') failed: $out" }
                if ($Raw) { return $out }
                return ($out -join "`n") | ConvertFrom-Json
            }
            finally { $env:OS_CLIENT_CONFIG_FILE = $saved }
        }

        # The server as the admin sees it (host, vm_state, task_state, power_state, flavor).
        function Get-AdminServer { Invoke-OpenStack server show $ServerId }

        # Polls the admin view until the status is reached; fails on ERROR or after the timeout.
        function Wait-ServerStatus {
            # -Unhosted also waits for the host to be cleared: Nova saves vm_state shelved_offloaded first,
            # then frees the host's resources, then nulls host and node in a second save, so for a moment the
            # server shows SHELVED_OFFLOADED with its old host (nova/compute/manager.py, _shelve_offload_instance).
            param([Parameter(Mandatory)] [string] $Status, [int] $TimeoutSec = 300, [switch] $Unhosted)
            $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
            while ($true) {
                $s = Get-AdminServer
                if ($s.status -eq $Status -and -not $s.'OS-EXT-STS:task_state' -and
                    -not ($Unhosted -and $s.'OS-EXT-SRV-ATTR:host')) { return $s }
                if ($s.status -eq 'ERROR') { throw "server $ServerId went to ERROR: $($s.fault | ConvertTo-Json -Compress)" }
                if ([DateTime]::UtcNow -gt $deadline) {
                    throw "server $ServerId is $($s.status)/$($s.'OS-EXT-STS:task_state') on '$($s.'OS-EXT-SRV-ATTR:host')', not $Status, after $TimeoutSec s"
                }
                Start-Sleep -Milliseconds 500
            }
        }

        function Measure-Action {
            param([Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [scriptblock] $Action)
            $sw = [Diagnostics.Stopwatch]::StartNew()
            $result = & $Action
            $sw.Stop()
            $Timings[$Name] = $sw.Elapsed.TotalSeconds
            Write-Host ('      {0}: {1:0.0} s' -f $Name, $sw.Elapsed.TotalSeconds)
            return $result
        }
    }

    AfterAll {
        if ($ServerId) {
            & openstack --os-cloud vdcps-lab server delete --wait $ServerId 2>$null | Out-Null
        }
        & openstack --os-cloud vdcps-lab user delete $UserName 2>$null | Out-Null
        if ($ProjectId) { & openstack --os-cloud vdcps-lab project delete $ProjectId 2>$null | Out-Null }
        if ($Timings.Count) {
            Write-Host ('    times per action (s): ' + (($Timings.GetEnumerator() | ForEach-Object { '{0} {1:0.0}' -f $_.Key, $_.Value }) -join ', '))
        }
    }

    It 'boots a server with the tenant credential, without a network, and it is ACTIVE on vdcps-compute' {
        $created = Measure-Action 'create (--wait)' {
            Invoke-TenantOsc -Arguments @('--os-compute-api-version', '2.37', 'server', 'create',
                '--flavor', 'm1.tiny', '--image', 'vdcps-tiny', '--nic', 'none', '--wait', $ServerName)
        }
        $script:ServerId = $created.id
        $ServerId | Should -Match '^[0-9a-f-]{36}$'
        $s = Wait-ServerStatus ACTIVE
        $s.'OS-EXT-SRV-ATTR:host' | Should -Be 'vdcps-compute'
        $s.'OS-EXT-STS:power_state' | Should -Be $Running
        $s.'OS-EXT-STS:vm_state' | Should -Be 'active'
        $s.project_id | Should -Be $ProjectId
        $s.flavor | Should -Match '^m1\.tiny\b'
        @($s.addresses.PSObject.Properties).Count | Should -Be 0 -Because 'it booted without a network' 
        # the tenant sees it in its own list
        (Invoke-TenantOsc -Arguments @('server', 'list')).ID | Should -Contain $ServerId
    }

    It 'stops the server (SHUTOFF, power state Shutdown)' {
        $s = Measure-Action 'stop' { Invoke-TenantOsc -Raw -Arguments @('server', 'stop', $ServerId) | Out-Null; Wait-ServerStatus SHUTOFF }
        $s.'OS-EXT-STS:vm_state' | Should -Be 'stopped'
        $s.'OS-EXT-STS:power_state' | Should -Be $Shutdown
    }

    It 'starts it again (ACTIVE, Running)' {
        $s = Measure-Action 'start' { Invoke-TenantOsc -Raw -Arguments @('server', 'start', $ServerId) | Out-Null; Wait-ServerStatus ACTIVE }
        $s.'OS-EXT-STS:power_state' | Should -Be $Running
    }

    It 'shelves it, and it is offloaded from the host at once' {
        $s = Measure-Action 'shelve (offloaded)' { Invoke-TenantOsc -Raw -Arguments @('server', 'shelve', $ServerId) | Out-Null; Wait-ServerStatus SHELVED_OFFLOADED -Unhosted }
        $s.'OS-EXT-STS:vm_state' | Should -Be 'shelved_offloaded'
        $s.'OS-EXT-SRV-ATTR:host' | Should -BeNullOrEmpty
    }

    It 'unshelves it onto vdcps-compute (ACTIVE)' {
        $s = Measure-Action 'unshelve' { Invoke-TenantOsc -Raw -Arguments @('server', 'unshelve', $ServerId) | Out-Null; Wait-ServerStatus ACTIVE }
        $s.'OS-EXT-SRV-ATTR:host' | Should -Be 'vdcps-compute'
        $s.'OS-EXT-STS:power_state' | Should -Be $Running
    }

    It 'resizes it to m1.small (VERIFY_RESIZE) and confirms (ACTIVE on m1.small)' {
        $s = Measure-Action 'resize' { Invoke-TenantOsc -Raw -Arguments @('server', 'resize', '--flavor', 'm1.small', $ServerId) | Out-Null; Wait-ServerStatus VERIFY_RESIZE }
        $s.'OS-EXT-STS:vm_state' | Should -Be 'resized'
        $s = Measure-Action 'resize confirm' { Invoke-TenantOsc -Raw -Arguments @('server', 'resize', 'confirm', $ServerId) | Out-Null; Wait-ServerStatus ACTIVE }
        $s.flavor | Should -Match '^m1\.small\b'
        $s.'OS-EXT-STS:vm_state' | Should -Be 'active'
        $script:LaunchedAt = [DateTime]::Parse($s.'OS-SRV-USG:launched_at', [Globalization.CultureInfo]::InvariantCulture,
            [Globalization.DateTimeStyles]::AssumeUniversal -bor [Globalization.DateTimeStyles]::AdjustToUniversal)
    }

    It 'deletes it (gone for the tenant and the admin)' {
        $script:DeleteFrom = [DateTime]::UtcNow
        Measure-Action 'delete (--wait)' { Invoke-TenantOsc -Raw -Arguments @('server', 'delete', '--wait', $ServerId) | Out-Null }
        $script:DeleteTo = [DateTime]::UtcNow
        & openstack --os-cloud vdcps-lab server show $ServerId 2>&1 | Out-Null
        $LASTEXITCODE | Should -Not -Be 0
        (Invoke-TenantOsc -Arguments @('server', 'list')) | Should -BeNullOrEmpty
        $script:DeletedId = $ServerId
        $script:ServerId = $null
    }

    It 'usage show reports the hours Nova recorded for its life (last launch to deletion, m1.small)' {
        $DeletedId | Should -Not -BeNullOrEmpty
        $today = [DateTime]::UtcNow.Date
        $u = Invoke-OpenStack usage show --project $ProjectId --start $today.AddDays(-1).ToString('yyyy-MM-dd') --end $today.AddDays(1).ToString('yyyy-MM-dd')
        $servers = @($u.Servers)
        $servers.Count | Should -Be 1
        $row = $servers[0]
        $row.instance_id | Should -Be $DeletedId
        $row.flavor | Should -Be 'm1.small'
        $row.state | Should -Be 'terminated'
        # Nova counts from launched_at (reset by unshelve and by resize) to terminated_at, which lies
        # inside the delete call; both are stored to the second.
        $started = [DateTime]::Parse($row.started_at, [Globalization.CultureInfo]::InvariantCulture,
            [Globalization.DateTimeStyles]::AssumeUniversal -bor [Globalization.DateTimeStyles]::AdjustToUniversal)
        $started | Should -Be $LaunchedAt
        $minHours = ($DeleteFrom.AddSeconds(-1) - $LaunchedAt).TotalHours
        $maxHours = ($DeleteTo - $LaunchedAt).TotalHours
        $minHours | Should -BeGreaterThan 0
        [double]$row.hours | Should -BeGreaterOrEqual $minHours
        [double]$row.hours | Should -BeLessOrEqual $maxHours
        # the project's totals are that server's hours times m1.small's 1 vCPU, 2048 MiB, 20 GiB
        $h = [double]$row.hours
        [Math]::Abs([double]$u.'CPU Hours' - $h) | Should -BeLessThan 1e-6
        [Math]::Abs([double]$u.'RAM MB-Hours' - 2048 * $h) | Should -BeLessThan 1e-3
        [Math]::Abs([double]$u.'Disk GB-Hours' - 20 * $h) | Should -BeLessThan 1e-4
    }
}
