# A tenant from each sample plan: created, shown, changed, suspended, resumed and removed in the lab,
# with the openstack CLI (the oracle) checking user, project, role and every quota at every stage.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Plans = @(Get-VdcPlan -CatalogPath $SampleCatalog | ForEach-Object { @{ Plan = $_.Name } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    Initialize-TestLab

    function Assert-QuotasMatchPlan([string] $ProjectId, [string] $PlanName) {
        $osc = Get-OscQuota -Project $ProjectId
        foreach ($q in Get-VdcPlan -Name $PlanName -Quota) {
            $key = "$($q.Service).$($q.Resource)"
            $osc.ContainsKey($key) | Should -BeTrue -Because "the CLI reports $key"
            $osc[$key] | Should -Be $q.Default -Because "$key of plan $PlanName"
        }
    }
}

AfterAll {
    Get-VdcTenant -Name 'life-*' -ErrorAction SilentlyContinue | ForEach-Object { Remove-TestProject $_.Name }
    Clear-TestLab
}

Describe 'Tenant lifecycle on plan <Plan>' -Tag Lab -ForEach $Plans {
    BeforeAll {
        $script:name = New-TestTenantName 'life'
        $script:customer = 'CUST-' + $name.Substring(5)
        $script:otherPlan = (Get-VdcPlan | Where-Object Name -ne $Plan | Select-Object -First 1).Name
    }
    AfterAll { Remove-TestProject $name }

    It 'New-VdcTenant creates project, user, role and every quota of the plan' {
        $script:tenant = New-VdcTenant -Name $name -Plan $Plan -CustomerId $customer -Email "$name@example.com"
        $tenant.State | Should -Be 'Active'
        $tenant.Plan | Should -Be $Plan
        $tenant.CustomerId | Should -Be $customer
        $tenant.ActivatedAt | Should -BeGreaterThan ([datetime]::UtcNow.AddMinutes(-5))
        $tenant.Credential | Should -BeOfType [pscredential]
        $tenant.Credential.GetNetworkCredential().Password.Length | Should -BeGreaterOrEqual 20

        $project = Invoke-OpenStack project show $name
        $project.id | Should -Be $tenant.Id
        $project.enabled | Should -BeTrue
        $project.vdcps_plan | Should -Be $Plan
        $project.vdcps_customer | Should -Be $customer
        $project.vdcps_state | Should -Be 'active'
        $user = Invoke-OpenStack user show $name
        $user.id | Should -Be $tenant.UserId
        $user.default_project_id | Should -Be $tenant.Id
        $user.email | Should -Be "$name@example.com"
        $roles = Invoke-OpenStack role assignment list --project $tenant.Id --user $tenant.UserId --names
        $roles.Role | Should -Be 'member'
        Assert-QuotasMatchPlan $tenant.Id $Plan
    }

    It 'the tenant user can log in with the credential New-VdcTenant returned, once' {
        $ctx = Connect-VdcCloud -AuthUrl http://127.0.0.1:5000/v3 -Credential $tenant.Credential -ProjectId $tenant.Id -Name "user-$name" -NoSetCurrent
        $ctx.UserName | Should -Be $name
        $ctx | Disconnect-VdcCloud
        (Get-VdcTenant -Name $name).Credential | Should -BeNullOrEmpty
    }

    It 'Get-VdcTenant shows it by name, wildcard, id, plan and customer' {
        (Get-VdcTenant -Name $name).Id | Should -Be $tenant.Id
        (Get-VdcTenant -Name ($name.Substring(0, 8) + '*') | Where-Object Name -eq $name).Id | Should -Be $tenant.Id
        (Get-VdcTenant -Id $tenant.Id).Name | Should -Be $name
        (Get-VdcTenant -Plan $Plan -CustomerId $customer).Name | Should -Be $name
    }

    It 'rerunning New-VdcTenant changes nothing and says so' {
        $again = New-VdcTenant -Name $name -Plan $Plan -CustomerId $customer -WarningVariable warn -WarningAction SilentlyContinue
        $again.Id | Should -Be $tenant.Id
        $again.Credential | Should -BeNullOrEmpty
        ($warn -join ' ') | Should -Match 'already exists'
        @(Invoke-OpenStack project list | Where-Object Name -eq $name).Count | Should -Be 1
    }

    It 'Set-VdcTenant moves it to another plan and the quotas follow' {
        $changed = Set-VdcTenant -Name $name -Plan $otherPlan -PassThru
        $changed.Plan | Should -Be $otherPlan
        (Invoke-OpenStack project show $name).vdcps_plan | Should -Be $otherPlan
        Assert-QuotasMatchPlan $tenant.Id $otherPlan
        $changed.History | Should -Match "plan-changed $otherPlan"
    }

    It 'Suspend-VdcTenant disables project and user; Resume-VdcTenant enables them' {
        $tenant | Suspend-VdcTenant
        (Invoke-OpenStack project show $name).enabled | Should -BeFalse
        (Invoke-OpenStack user show $name).enabled | Should -BeFalse
        (Get-VdcTenant -Name $name).State | Should -Be 'Suspended'
        (Get-VdcTenant -Name $name).SuspendedAt | Should -Not -BeNullOrEmpty

        Get-VdcTenant -Name $name | Resume-VdcTenant
        (Invoke-OpenStack project show $name).enabled | Should -BeTrue
        (Invoke-OpenStack user show $name).enabled | Should -BeTrue
        $resumed = Get-VdcTenant -Name $name
        $resumed.State | Should -Be 'Active'
        $resumed.History | Should -Match 'activated.*plan-changed.*suspended.*resumed'
    }

    It 'Remove-VdcTenant removes role, user, quotas and project' {
        Remove-VdcTenant -Name $name -Confirm:$false
        $env:OS_CLIENT_CONFIG_FILE = $LabClouds
        & openstack --os-cloud vdcps-lab project show $name 2>&1 | Out-Null
        $LASTEXITCODE | Should -Not -Be 0
        & openstack --os-cloud vdcps-lab user show $name 2>&1 | Out-Null
        $LASTEXITCODE | Should -Not -Be 0
        # Cinder and Neutron answer quota reads for any project id, so read them directly (plain HTTP
        # with a CLI-issued token, not VdcPS): had VdcPS not removed the tenant's own limits, they
        # would still differ from the defaults. Nova refuses ids Keystone does not know (400), so its
        # leftovers are looked for in its database.
        $token = (Invoke-OpenStack token issue).id
        $adminId = (Invoke-OpenStack project show admin).id
        $h = @{ 'X-Auth-Token' = $token }
        foreach ($pair in @(
                @("http://127.0.0.1:8776/v3/$adminId/os-quota-sets/$($tenant.Id)", "http://127.0.0.1:8776/v3/$adminId/os-quota-sets/$($tenant.Id)/defaults", 'quota_set'),
                @("http://127.0.0.1:9696/v2.0/quotas/$($tenant.Id)", "http://127.0.0.1:9696/v2.0/quotas/$($tenant.Id)/default", 'quota'))) {
            $now = (Invoke-RestMethod $pair[0] -Headers $h).($pair[2])
            $default = (Invoke-RestMethod $pair[1] -Headers $h).($pair[2])
            foreach ($p in $default.PSObject.Properties | Where-Object Name -ne 'id') {
                $now.($p.Name) | Should -Be $p.Value -Because "$($p.Name) must be back to the default after removal"
            }
        }
        $novaRows = & sqlite3 (Join-Path $LabDir 'data/nova_api.sqlite') "SELECT COUNT(*) FROM quotas WHERE project_id = '$($tenant.Id)'"
        [int]$novaRows | Should -Be 0 -Because 'no Nova quota row may outlive the tenant'
    }

    It 'every change is in the audit journal with before and after' {
        $entries = Get-VdcAuditEntry -Target $name
        $entries.Outcome | Should -Be @('Created', 'Changed', 'Suspended', 'Resumed', 'Removed')
        ($entries | Where-Object Outcome -eq 'Changed').Before | Should -Match $Plan
        ($entries | Where-Object Outcome -eq 'Changed').After | Should -Match $otherPlan
    }
}
