# Drift (issue 18): drift is made with the openstack CLI (a quota raised by hand, the user disabled, the
# role revoked, the router deleted, the project disabled), Test-VdcTenant reports each kind exactly once
# with the right expected and actual values, Repair-VdcTenant repairs it, and the CLI agrees. A clean
# tenant reports nothing.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
}

Describe 'Test-VdcTenant parameter contract' -Tag Unit {
    It 'takes names (wildcards), ids and tenants from the pipeline, and -Quiet' {
        $c = Get-Command Test-VdcTenant
        $c.ParameterSets.Name | Sort-Object | Should -Be @('Id', 'InputObject', 'Name')
        $c.Parameters.Name.Attributes.Where({ $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }).Count | Should -Be 1
        $c.Parameters.Id.Aliases | Should -Contain 'TenantId'
        $c.Parameters.InputObject.ParameterSets.Values.ValueFromPipeline | Should -Contain $true
        $c.Parameters.Quiet.ParameterType | Should -Be ([switch])
        $c.OutputType.Type | Should -Contain ([VdcPS.Models.VdcTenantDrift])
    }

    It 'an empty pipeline checks nothing (not every tenant)' {
        @() | Test-VdcTenant | Should -BeNullOrEmpty
        @() | Test-VdcTenant -Quiet | Should -BeTrue
    }
}

Describe 'Drift found and repaired' -Tag Lab {
    BeforeAll {
        $script:Catalog = Join-Path $TestDrive 'plans.yaml'
        @'
api_version: vdcps/v1
currency: EUR
role: member
plans:
  vdc-ready:
    prices: {monthly_fee: 99.00}
    quotas:
      compute: {cores: {default: 4, min: 2, max: 8}}
      network:
        network: {default: 2, min: 1, max: 5}
        router: {default: 1, min: 1, max: 2}
        security_group_rule: {default: 50, min: 20, max: 100}
    starter_network:
      cidr: 10.43.0.0/24
      external_network: public
      security_group_rules:
        - {protocol: tcp, ports: 22, remote_ip_prefix: 0.0.0.0/0}
'@ | Set-Content -Path $Catalog -Encoding utf8
        Initialize-TestLab -Catalog $Catalog
        $script:name = New-TestTenantName 'drift'
        $script:t = New-VdcTenant -Name $name -Plan vdc-ready -CustomerId C-DRIFT
        $script:member = (Invoke-OpenStack role show member).id
    }
    AfterAll {
        if ($t) {
            Remove-VdcTenant -Id $t.Id -Force -Confirm:$false -ErrorAction SilentlyContinue
            Remove-VdcTenant -Id $t.Id -Purge -Force -Confirm:$false -ErrorAction SilentlyContinue
        }
        Remove-TestProject $name
        Clear-TestLab
    }

    It 'a clean tenant reports nothing, and -Quiet says $true' {
        Test-VdcTenant -Name $name | Should -BeNullOrEmpty
        Test-VdcTenant -Id $t.Id -Quiet | Should -BeTrue
    }

    It 'drift made with the CLI is reported once per finding with expected and actual values' {
        Invoke-OpenStackRaw quota set --cores 7 $t.Id | Out-Null
        Invoke-OpenStackRaw user set --disable $t.UserId | Out-Null
        Invoke-OpenStackRaw role remove --user $t.UserId --project $t.Id member | Out-Null
        $router = @(Invoke-OpenStack router list --project $t.Id)[0]
        $subnet = @((Invoke-OpenStack router show $router.ID).interfaces_info)[0].subnet_id   # by ID: other tenants have a vdc-subnet too
        Invoke-OpenStackRaw router remove subnet $router.ID $subnet | Out-Null
        Invoke-OpenStackRaw router delete $router.ID | Out-Null

        $rows = @(Get-VdcTenant -Id $t.Id | Test-VdcTenant)
        $rows.Count | Should -Be 4 -Because ($rows | Out-String)
        $cores = @($rows | Where-Object { $_.Kind -eq 'Quota' -and $_.Aspect -eq 'compute.cores' })
        $cores.Count | Should -Be 1
        ($cores[0].Expected, $cores[0].Actual, $cores[0].Severity, $cores[0].Repairable) | Should -Be @('4', '7', 'Warning', $true)
        $user = @($rows | Where-Object Kind -eq 'UserEnabled')
        ($user.Count, $user[0].Expected, $user[0].Actual) | Should -Be @(1, 'True', 'False')
        $role = @($rows | Where-Object Kind -eq 'RoleAssignment')
        ($role.Count, $role[0].Aspect, $role[0].Actual) | Should -Be @(1, 'role member', 'missing')
        $net = @($rows | Where-Object Kind -eq 'StarterNetwork')
        ($net.Count, $net[0].Aspect, $net[0].Expected, $net[0].Actual) | Should -Be @(1, 'router', 'vdc-router', 'missing')
        $rows.TenantId | Sort-Object -Unique | Should -Be $t.Id
        $rows.Repaired | Sort-Object -Unique | Should -Be $false
        Test-VdcTenant -Name 'drift-*' -Quiet | Should -BeFalse
    }

    It 'the report goes through Export-Csv and Import-Csv whole (de-DE too)' {
        $csv = Join-Path $TestDrive 'drift.csv'
        $culture = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = 'de-DE'
            Test-VdcTenant -Id $t.Id | Export-Csv $csv -NoTypeInformation
        }
        finally { [cultureinfo]::CurrentCulture = $culture }
        $back = @(Import-Csv $csv)
        $back.Count | Should -Be 4
        ($back | ForEach-Object { $_.PSObject.Properties.Name -join ',' } | Sort-Object -Unique).Count | Should -Be 1
        ($back | Where-Object Aspect -eq 'compute.cores').Expected | Should -Be '4'
    }

    It 'Repair-VdcTenant -WhatIf changes nothing' {
        Repair-VdcTenant -Id $t.Id -WhatIf | Should -BeNullOrEmpty
        (Invoke-OpenStack quota show $t.Id).cores | Should -Be 7
        (Invoke-OpenStack user show $t.UserId).enabled | Should -BeFalse
    }

    It 'Repair-VdcTenant repairs every finding, and the CLI agrees' {
        $rows = @(Test-VdcTenant -Id $t.Id | Repair-VdcTenant -Confirm:$false)
        $rows.Count | Should -Be 4
        $rows | Where-Object { -not $_.Repaired } | Should -BeNullOrEmpty

        (Invoke-OpenStack quota show $t.Id).cores | Should -Be 4
        (Invoke-OpenStack user show $t.UserId).enabled | Should -BeTrue
        @(Invoke-OpenStack role assignment list --project $t.Id --user $t.UserId).Role | Should -Contain $member
        $routers = @(Invoke-OpenStack router list --project $t.Id)
        $routers.Count | Should -Be 1
        $router = Invoke-OpenStack router show $routers[0].ID
        $router.name | Should -Be 'vdc-router'
        $router.external_gateway_info.network_id | Should -Be (Invoke-OpenStack network show public).id
        @($router.interfaces_info).ip_address | Should -Be @('10.43.0.1')
        # the repaired quota is recorded (billing reads the history)
        (@((Invoke-OpenStack project show $t.Id).vdcps_quota_history) -join "`n") | Should -Match 'Z repair compute\.cores=4'
        Test-VdcTenant -Id $t.Id | Should -BeNullOrEmpty
    }

    It 'a rerun of the repair changes nothing' {
        Repair-VdcTenant -Id $t.Id -Confirm:$false | Should -BeNullOrEmpty
    }

    It 'a disabled project of an active tenant is ProjectEnabled and enabled again' {
        Invoke-OpenStackRaw project set --disable $t.Id | Out-Null
        $rows = @(Test-VdcTenant -Id $t.Id)
        $rows.Count | Should -Be 1
        ($rows[0].Kind, $rows[0].Expected, $rows[0].Actual) | Should -Be @('ProjectEnabled', 'True', 'False')
        Repair-VdcTenant -Id $t.Id -Confirm:$false | Out-Null
        (Invoke-OpenStack project show $t.Id).enabled | Should -BeTrue
    }

    It 'a quota below usage is lowered only with -AllowBelowUsage' {
        # 3 networks in use (the starter network and two more) under a network quota raised to 5 by hand
        Invoke-OpenStackRaw quota set --networks 5 $t.Id | Out-Null
        Invoke-OpenStackRaw network create --project $t.Id "extra1-$name" | Out-Null
        Invoke-OpenStackRaw network create --project $t.Id "extra2-$name" | Out-Null
        $rows = @(Repair-VdcTenant -Id $t.Id -Confirm:$false -WarningVariable warn -WarningAction SilentlyContinue)
        $row = $rows | Where-Object Aspect -eq 'network.network'
        ($row.Expected, $row.Actual, $row.Repaired) | Should -Be @('2', '5', $false)
        $warn | Should -Match 'uses 3'
        (Invoke-OpenStack quota show $t.Id).networks | Should -Be 5

        $rows = @(Repair-VdcTenant -Id $t.Id -AllowBelowUsage -Confirm:$false)
        ($rows | Where-Object Aspect -eq 'network.network').Repaired | Should -BeTrue
        (Invoke-OpenStack quota show $t.Id).networks | Should -Be 2
    }
}
