BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $env:VDCPS_PLAN_CATALOG = $SampleCatalog
}
AfterAll { $env:VDCPS_PLAN_CATALOG = $null }

Describe 'Get-VdcTenantResource contract' -Tag Unit {
    It 'reads only (no ShouldProcess) and declares its flat output type' {
        $cmd = Get-Command Get-VdcTenantResource
        $cmd.Parameters.Keys | Should -Not -Contain 'WhatIf'
        $cmd.OutputType.Name | Should -Contain 'VdcPS.Models.VdcTenantResource'
        $cmd.ParameterSets.Name | Sort-Object | Should -Be @('Id', 'InputObject', 'Name')
    }

    It 'takes tenants by property name from the pipeline' {
        $cmd = Get-Command Get-VdcTenantResource
        $cmd.Parameters['Id'].Aliases | Should -Contain 'TenantId'
        $cmd.Parameters['Name'].ParameterSets['Name'].ValueFromPipelineByPropertyName | Should -BeTrue
    }
}

Describe 'Get-VdcTenantResource against the lab' -Tag Lab {
    BeforeAll {
        Initialize-TestLab -NoCatalog -NoJournal
        $t = New-VdcTenant -Name (New-TestTenantName 'inv') -Plan vdc-small -CustomerId C-INV
        $net = Invoke-OpenStack network create --project $t.Id "net-$($t.Name)"
        $subnet = Invoke-OpenStack subnet create --project $t.Id --network $net.id --subnet-range 10.79.0.0/24 "sub-$($t.Name)"
        $router = Invoke-OpenStack router create --project $t.Id "rt-$($t.Name)"
        Invoke-OpenStackRaw router add subnet $router.id $subnet.id | Out-Null
        $sg = Invoke-OpenStack security group create --project $t.Id "sg-$($t.Name)"
    }
    AfterAll { Remove-TestProject $t.Name; Clear-TestLab }

    It 'lists what the project owns, by the CLI''s ids, in deletion order, and changes nothing' {
        $rows = @(Get-VdcTenantResource -Name $t.Name)
        $byType = $rows | Group-Object Type -AsHashTable -AsString
        $byType['Network'].Id | Should -Contain $net.id
        $byType['Subnet'].Id | Should -Contain $subnet.id
        $byType['Router'].Id | Should -Be $router.id
        $byType['SecurityGroup'].Id | Should -Contain $sg.id
        @($byType['RouterInterface']).Count | Should -Be 1
        $byType['RouterInterface'][0].ParentId | Should -Be $router.id
        # the oracle: the CLI's own lists by project
        $cliNets = @(Invoke-OpenStack network list --project $t.Id).ID
        @($byType['Network'].Id | Sort-Object) | Should -Be @($cliNets | Sort-Object)
        $cliGroups = @(Invoke-OpenStack security group list --project $t.Id).ID
        @($byType['SecurityGroup'].Id | Sort-Object) | Should -Be @($cliGroups | Sort-Object)
        # deletion order: levels never go down; the services by name
        $levels = $rows.Level
        for ($i = 1; $i -lt $levels.Count; $i++) { $levels[$i] | Should -BeGreaterOrEqual $levels[$i - 1] }
        ($rows | Where-Object Type -eq Subnet).Level | Should -Be 3
        ($rows | Where-Object Type -eq Router).Level | Should -Be 2
        ($rows | Select-Object -ExpandProperty Service -Unique) | Should -Be @('network')
        $rows.TenantId | Select-Object -Unique | Should -Be $t.Id
        (Invoke-OpenStack network show $net.id).id | Should -Be $net.id
    }

    It 'round-trips through Export-Csv / Import-Csv under de-DE, with the same columns on every row' {
        $csv = Join-Path ([IO.Path]::GetTempPath()) "inv-$([guid]::NewGuid()).csv"
        $culture = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = 'de-DE'
            $rows = @($t | Get-VdcTenantResource)
            $rows | Export-Csv $csv
            $back = @(Import-Csv $csv)
            $back.Count | Should -Be $rows.Count
            $back[0].PSObject.Properties.Name | Should -Be @('TenantName', 'TenantId', 'Service', 'Type', 'Id', 'Name', 'Status', 'Level', 'ParentId', 'Cloud')
            ($back | Where-Object Id -eq $router.id).Level | Should -Be '2'
        }
        finally {
            [cultureinfo]::CurrentCulture = $culture
            Remove-Item $csv -ErrorAction SilentlyContinue
        }
    }

    It 'is what Remove-VdcTenant -WhatIf names' {
        $said = Invoke-FreshPwsh ("`$env:OS_CLIENT_CONFIG_FILE = '$LabClouds'; `$env:VDCPS_PLAN_CATALOG = '$SampleCatalog'; Import-Module '$ModulePath'; Connect-VdcCloud -Cloud vdcps-lab | Out-Null; " +
            "Remove-VdcTenant -Name '$($t.Name)' -WhatIf") | Out-String
        foreach ($r in Get-VdcTenantResource -Name $t.Name) { $said | Should -Match ([regex]::Escape($r.Id)) }
    }

    It 'writes TenantNotFound for an unknown tenant' {
        Get-VdcTenantResource -Name no-such-tenant-x -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TenantNotFound,*'
    }
}
