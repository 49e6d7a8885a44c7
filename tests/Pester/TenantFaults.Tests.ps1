# A fault injected at every step of New-, Set-, Suspend- and Remove-VdcTenant, through a fault proxy in
# front of the real lab services (tests/lab/fault-proxy.py): afterwards the openstack CLI finds no
# orphaned project, user or role assignment, and a rerun completes the job.
BeforeDiscovery {
    $script:NewSteps = @(
        @{ Step = 'create project'; Method = 'POST'; Path = '^/v3/projects$' }
        @{ Step = 'create user'; Method = 'POST'; Path = '^/v3/users$' }
        @{ Step = 'grant role'; Method = 'PUT'; Path = '^/v3/projects/[^/]+/users/[^/]+/roles/' }
        @{ Step = 'set Nova quotas'; Method = 'PUT'; Path = '^/v2.1/os-quota-sets/' }
        @{ Step = 'set Cinder quotas'; Method = 'PUT'; Path = '^/v3/[0-9a-f]{32}/os-quota-sets/' }
        @{ Step = 'set Neutron quotas'; Method = 'PUT'; Path = '^/v2.0/quotas/' }
        @{ Step = 'mark active'; Method = 'PATCH'; Path = '^/v3/projects/' }
    )
    $script:Faults = @(
        @{ Fault = 'HTTP 500'; Action = 'status'; Status = 500 }
        @{ Fault = 'dropped connection'; Action = 'reset'; Status = 0 }
    )
    $script:Cases = foreach ($s in $NewSteps) { foreach ($f in $Faults) { $s + $f } }
    $script:SuspendSteps = @(
        @{ Step = 'disable project'; Method = 'PATCH'; Path = '^/v3/projects/' }
        @{ Step = 'disable user'; Method = 'PATCH'; Path = '^/v3/users/' }
    )
    $script:PlanChangeSteps = @(
        @{ Step = 'set Nova quotas'; Method = 'PUT'; Path = '^/v2.1/os-quota-sets/' }
        @{ Step = 'set Cinder quotas'; Method = 'PUT'; Path = '^/v3/[0-9a-f]{32}/os-quota-sets/' }
        @{ Step = 'set Neutron quotas'; Method = 'PUT'; Path = '^/v2.0/quotas/' }
        @{ Step = 'record the plan'; Method = 'PATCH'; Path = '^/v3/projects/' }
    )
    $script:RemoveSteps = @(
        @{ Step = 'mark removing'; Method = 'PATCH'; Path = '^/v3/projects/' }
        @{ Step = 'reset Nova quotas'; Method = 'DELETE'; Path = '^/v2.1/os-quota-sets/' }
        @{ Step = 'revoke role'; Method = 'DELETE'; Path = '^/v3/projects/[^/]+/users/[^/]+/roles/' }
        @{ Step = 'delete user'; Method = 'DELETE'; Path = '^/v3/users/' }
        # the last write: the project renamed, disabled and marked terminated (the second PATCH of the project)
        @{ Step = 'keep the record'; Method = 'PATCH'; Path = '^/v3/projects/[^/]+$'; Nth = 2 }
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    Initialize-TestLab -NoConnect
    # The same retries (every one meets the fault), without the back-off waits of 0.5 + 1 + 2 + 4 s
    # per failed request: read when the connection below is made.
    $env:VDCPS_RETRY_DELAY_MS = '10'

    $faultProxy = Start-FaultProxy
    $script:proxy = $faultProxy.Process; $script:port = $faultProxy.Port; $script:base = $faultProxy.Base

    function Set-Fault([string] $Method, [string] $Path, [string] $Action, [int] $Status, [int] $Nth = 1) {
        # Repeated past VdcPS's retry budget (4 retries), so that a retried idempotent request
        # meets the fault every time (a service that stays down), not only the first time.
        $rule = @{ method = $Method; path = $Path; nth = $Nth; times = 6; action = $Action; status = $Status }
        Invoke-RestMethod -Method Put "$base/__faults" -ContentType 'application/json' -Body (ConvertTo-Json @($rule)) | Out-Null
    }
    function Clear-Fault { Invoke-RestMethod -Method Delete "$base/__faults" | Out-Null }
    function Get-Fired { (Invoke-RestMethod "$base/__faults") | ForEach-Object fired }

    $cred = [pscredential]::new('admin', (ConvertTo-SecureString 'secret' -AsPlainText -Force))
    Connect-VdcCloud -AuthUrl "$base/identity/v3" -Credential $cred -ProjectName admin -Name via-proxy -EndpointOverride @{
        compute = "$base/compute/v2.1"; 'block-storage' = "$base/volume/v3/%(project_id)s"; network = "$base/network"
    } | Out-Null
    (Get-VdcContext).ComputeEndpoint.Port | Should -Be $port

    function Assert-NothingLeft([string] $Name) {
        # Read from Keystone's own database in one query (one sqlite3 process instead of two openstack
        # CLI runs of seconds each): the project and the user of that name, and role assignments whose
        # user or project no longer exists (the CLI cannot name an assignment whose user is gone).
        $n = $Name.Replace("'", "''")
        $row = & sqlite3 -cmd '.timeout 10000' (Join-Path $LabDir 'data/keystone.sqlite') (
            "SELECT (SELECT COUNT(*) FROM project WHERE name = '$n' AND is_domain = 0) || ' ' || " +
            "(SELECT COUNT(*) FROM local_user l JOIN user u ON u.id = l.user_id WHERE l.name = '$n') || ' ' || " +
            "(SELECT COUNT(*) FROM assignment WHERE type = 'UserProject' AND (actor_id NOT IN (SELECT id FROM user) OR target_id NOT IN (SELECT id FROM project)))")
        $LASTEXITCODE | Should -Be 0 -Because 'the Keystone database is readable'
        $projects, $users, $orphans = "$row".Split(' ') | ForEach-Object { [int]$_ }
        $projects | Should -Be 0 -Because "no orphaned project '$Name'"
        $users | Should -Be 0 -Because "no orphaned user '$Name'"
        $orphans | Should -Be 0 -Because 'no orphaned role assignment'
    }
}

AfterAll {
    Get-VdcContext -ListAvailable | Disconnect-VdcCloud -ErrorAction SilentlyContinue
    if ($proxy) { Stop-Process -Id $proxy.Id -ErrorAction SilentlyContinue }
    Clear-TestLab
    $env:VDCPS_RETRY_DELAY_MS = $null
}

Describe 'New-VdcTenant under faults' -Tag Lab {
    It '<Fault> at "<Step>" leaves no orphan, says what failed and what was rolled back; a rerun succeeds' -ForEach $Cases {
        $name = New-TestTenantName 'fault'
        try {
            Set-Fault $Method $Path $Action $Status
            New-VdcTenant -Name $name -Plan vdc-small -CustomerId C-FAULT -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            (Get-Fired) | Should -BeGreaterThan 0 -Because 'the fault was met'
            Clear-Fault
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeLike 'TenantOperationFailed,*'
            $err[0].Exception.Message | Should -Match 'failed'
            if ($Step -ne 'create project') { $err[0].Exception.Message | Should -Match "Rolled back: .*project '$name'" }
            Assert-NothingLeft $name

            $t = New-VdcTenant -Name $name -Plan vdc-small -CustomerId C-FAULT
            $t.State | Should -Be 'Active'
            (Invoke-OpenStack project show $name).vdcps_state | Should -Be 'active'
        }
        finally {
            Clear-Fault
            Remove-TestProject $name
        }
    }
}

Describe 'Remove-VdcTenant under faults' -Tag Lab {
    It 'HTTP 500 at "<Step>": the tenant is left marked for removal, and a rerun removes it completely' -ForEach $RemoveSteps {
        $name = New-TestTenantName 'fault'
        try {
            $t = New-VdcTenant -Name $name -Plan vdc-small -CustomerId C-FAULT
            Set-Fault $Method $Path 'status' 500 -Nth ($Nth ?? 1)
            Remove-VdcTenant -Id $t.Id -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
            Clear-Fault
            $err[0].FullyQualifiedErrorId | Should -BeLike 'TenantOperationFailed,*'
            if ($Step -ne 'mark removing') {
                $p = Invoke-OpenStack project show $t.Id
                $p.vdcps_state | Should -Be 'removing'
                $p.enabled | Should -BeFalse
            }
            Remove-VdcTenant -Id $t.Id -Confirm:$false
            Assert-NothingLeft $name
            (Invoke-OpenStack project show $t.Id).vdcps_state | Should -Be 'terminated'
        }
        finally {
            Clear-Fault
            Remove-TestProject $name
        }
    }
}

Describe 'Remove-VdcTenant: a fault in the middle of a termination' -Tag Lab {
    It 'HTTP 500 on deleting the network: the subnet is gone, the tenant is left removing with its network, and a rerun finishes' {
        $name = New-TestTenantName 'fault'
        try {
            $t = New-VdcTenant -Name $name -Plan vdc-small -CustomerId C-FAULT
            $net = Invoke-OpenStack network create --project $t.Id "net-$name"
            $subnet = Invoke-OpenStack subnet create --project $t.Id --network $net.id --subnet-range 10.78.0.0/24 "sub-$name"
            Set-Fault 'DELETE' '^/v2.0/networks/' 'status' 500
            Remove-VdcTenant -Id $t.Id -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
            Clear-Fault
            $err[0].FullyQualifiedErrorId | Should -BeLike 'TenantOperationFailed,*'
            $err[0].Exception.Message | Should -Match "net-$name"
            $p = Invoke-OpenStack project show $t.Id
            $p.vdcps_state | Should -Be 'removing'
            $p.enabled | Should -BeFalse
            & openstack --os-cloud vdcps-lab subnet show $subnet.id 2>&1 | Out-Null
            $LASTEXITCODE | Should -Not -Be 0          # the level before the failure was done
            (Invoke-OpenStack network show $net.id).id | Should -Be $net.id

            Remove-VdcTenant -Id $t.Id -Confirm:$false
            & openstack --os-cloud vdcps-lab network show $net.id 2>&1 | Out-Null
            $LASTEXITCODE | Should -Not -Be 0
            Assert-NothingLeft $name
        }
        finally {
            Clear-Fault
            Remove-TestProject $name
        }
    }
}

Describe 'Suspend-VdcTenant under faults' -Tag Lab {
    It 'HTTP 500 at "<Step>": the old state stays whole (project and user enabled), and a rerun suspends' -ForEach $SuspendSteps {
        $name = New-TestTenantName 'fault'
        try {
            $t = New-VdcTenant -Name $name -Plan vdc-small -CustomerId C-FAULT
            Set-Fault $Method $Path 'status' 500
            Suspend-VdcTenant -Id $t.Id -ErrorVariable err -ErrorAction SilentlyContinue
            Clear-Fault
            $err[0].FullyQualifiedErrorId | Should -BeLike 'TenantOperationFailed,*'
            $p = Invoke-OpenStack project show $t.Id
            $p.enabled | Should -BeTrue
            $p.vdcps_state | Should -Be 'active'
            (Invoke-OpenStack user show $t.UserId).enabled | Should -BeTrue

            Suspend-VdcTenant -Id $t.Id
            (Invoke-OpenStack project show $t.Id).enabled | Should -BeFalse
            (Invoke-OpenStack user show $t.UserId).enabled | Should -BeFalse
        }
        finally {
            Clear-Fault
            Remove-TestProject $name
        }
    }
}

Describe 'Set-VdcTenant (plan change) under faults' -Tag Lab {
    It 'HTTP 500 at "<Step>": plan and every quota stay as before, and a rerun moves the tenant' -ForEach $PlanChangeSteps {
        $name = New-TestTenantName 'fault'
        try {
            $t = New-VdcTenant -Name $name -Plan vdc-small -CustomerId C-FAULT
            $before = Get-OscQuota -Project $t.Id
            Set-Fault $Method $Path 'status' 500
            Set-VdcTenant -Id $t.Id -Plan vdc-medium -ErrorVariable err -ErrorAction SilentlyContinue
            Clear-Fault
            $err[0].FullyQualifiedErrorId | Should -BeLike 'TenantOperationFailed,*'
            (Invoke-OpenStack project show $t.Id).vdcps_plan | Should -Be 'vdc-small'
            $after = Get-OscQuota -Project $t.Id
            foreach ($k in $before.Keys) { $after[$k] | Should -Be $before[$k] -Because "$k must be back to its old value" }

            Set-VdcTenant -Id $t.Id -Plan vdc-medium
            (Invoke-OpenStack project show $t.Id).vdcps_plan | Should -Be 'vdc-medium'
            (Get-OscQuota -Project $t.Id)['compute.cores'] | Should -Be (Get-VdcPlan -Name vdc-medium -Quota | Where-Object Resource -eq cores).Default
        }
        finally {
            Clear-Fault
            Remove-TestProject $name
        }
    }
}
