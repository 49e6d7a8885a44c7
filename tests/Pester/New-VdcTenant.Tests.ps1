BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $env:VDCPS_PLAN_CATALOG = $SampleCatalog
}
AfterAll { $env:VDCPS_PLAN_CATALOG = $null }

Describe 'New-VdcTenant parameter contract' -Tag Unit {
    It 'takes Name, Plan, CustomerId from the pipeline by property name' {
        $p = (Get-Command New-VdcTenant).Parameters
        foreach ($n in 'Name', 'Plan', 'CustomerId', 'UserName', 'Email', 'Description', 'DomainId') {
            $p[$n].ParameterSets.Values.ValueFromPipelineByPropertyName | Should -Contain $true -Because $n
        }
        $p.Password.ParameterType | Should -Be ([securestring])
        (Get-Command New-VdcTenant).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true).SupportsShouldProcess | Should -BeTrue
    }

    It 'completes plan names from the catalog' {
        $line = 'New-VdcTenant -Plan vdc-s'
        ([System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null)).CompletionMatches.CompletionText | Should -Contain 'vdc-small'
    }
}

Describe 'New-VdcTenant refuses bad input before sending anything' -Tag Lab {
    BeforeAll {
        Initialize-TestLab -NoCatalog -NoJournal
        # Every name the cases below try; other test files may create projects meanwhile, so
        # the check is that none of these exists afterwards, not a count of the whole cloud.
        $script:WhatIfName = New-TestTenantName 'whatif'
        $script:TriedNames = @('bad name', ('a' * 65), 'ok-name', $WhatIfName)
        @(Invoke-OpenStack project list | Where-Object Name -in $TriedNames) | Should -BeNullOrEmpty
    }
    AfterAll {
        @(Invoke-OpenStack project list | Where-Object Name -in $TriedNames).Name | Should -BeNullOrEmpty
        Clear-TestLab
    }

    It '<Case> -> <Id>' -ForEach @(
        @{ Case = 'a name with a space'; Splat = @{ Name = 'bad name'; Plan = 'vdc-small'; CustomerId = 'C1' }; Id = 'TenantInputInvalid' }
        @{ Case = 'a name of 65 characters'; Splat = @{ Name = ('a' * 65); Plan = 'vdc-small'; CustomerId = 'C1' }; Id = 'TenantInputInvalid' }
        @{ Case = 'an unknown plan'; Splat = @{ Name = 'ok-name'; Plan = 'no-such-plan'; CustomerId = 'C1' }; Id = 'PlanNotFound' }
        @{ Case = 'a quota above the plan maximum'; Splat = @{ Name = 'ok-name'; Plan = 'vdc-small'; CustomerId = 'C1'; Quota = @{ cores = 999 } }; Id = 'QuotaOutOfPlan' }
        @{ Case = 'a negative quota'; Splat = @{ Name = 'ok-name'; Plan = 'vdc-small'; CustomerId = 'C1'; Quota = @{ cores = -5 } }; Id = 'QuotaOutOfPlan' }
        @{ Case = 'an unknown quota'; Splat = @{ Name = 'ok-name'; Plan = 'vdc-small'; CustomerId = 'C1'; Quota = @{ warp_drives = 1 } }; Id = 'QuotaOutOfPlan' }
        @{ Case = 'a bad e-mail'; Splat = @{ Name = 'ok-name'; Plan = 'vdc-small'; CustomerId = 'C1'; Email = 'not-an-address' }; Id = 'TenantInputInvalid' }
        @{ Case = 'a bad customer id'; Splat = @{ Name = 'ok-name'; Plan = 'vdc-small'; CustomerId = 'C 1 !' }; Id = 'TenantInputInvalid' }
    ) {
        New-VdcTenant @Splat -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $err[0].CategoryInfo.Category | Should -Not -Be 'NotSpecified'
    }

    It 'a name taken by a project VdcPS did not create is TenantNameTaken, and that project is untouched' {
        New-VdcTenant -Name admin -Plan vdc-small -CustomerId C1 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TenantNameTaken,*'
        (Invoke-OpenStack project show admin).PSObject.Properties.Name | Should -Not -Contain 'vdcps_plan'
    }

    It '-WhatIf creates nothing' {
        New-VdcTenant -Name $WhatIfName -Plan vdc-small -CustomerId C1 -WhatIf | Should -BeNullOrEmpty
    }
}

Describe 'New-VdcTenant from a purchases CSV' -Tag Lab {
    BeforeAll {
        Initialize-TestLab -NoCatalog -NoJournal
        $script:csv = Join-Path ([IO.Path]::GetTempPath()) "purchases-$([guid]::NewGuid()).csv"
        $script:names = 1..3 | ForEach-Object { New-TestTenantName 'csv' }
        @(
            [pscustomobject]@{ Name = $names[0]; Plan = 'vdc-small'; CustomerId = 'C-100'; Email = 'a@example.com' }
            [pscustomobject]@{ Name = $names[1]; Plan = 'vdc-medium'; CustomerId = 'C-101'; Email = 'b@example.com' }
            [pscustomobject]@{ Name = $names[2]; Plan = 'vdc-small'; CustomerId = 'C-102'; Email = 'c@example.com' }
            [pscustomobject]@{ Name = $names[0]; Plan = 'vdc-small'; CustomerId = 'C-100'; Email = 'a@example.com' }
        ) | Export-Csv -Path $csv -NoTypeInformation
    }
    AfterAll {
        $names | ForEach-Object { Remove-TestProject $_ }
        Remove-Item $csv
        Clear-TestLab
    }

    It 'provisions every row, refuses the duplicate row, and hands over credentials' {
        $made = Import-Csv $csv | New-VdcTenant -ErrorVariable err -ErrorAction SilentlyContinue
        $made.Count | Should -Be 3
        $made.Name | Should -Be $names
        $made | ForEach-Object { $_.Credential | Should -Not -BeNullOrEmpty }
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TenantInputInvalid,*'
        foreach ($n in $names) { (Invoke-OpenStack project show $n).vdcps_state | Should -Be 'active' }
    }
}

Describe 'New-VdcTenant in bulk with -ThrottleLimit' -Tag Lab {
    BeforeAll {
        $env:OS_CLIENT_CONFIG_FILE = $LabClouds
        $script:names = 1..4 | ForEach-Object { New-TestTenantName 'bulk' }
    }
    AfterAll {
        $names | ForEach-Object { Remove-TestProject $_ }
    }

    It 'provisions concurrently, returns the tenants in input order, and shows progress' {
        (Get-Command New-VdcTenant).Parameters.ThrottleLimit.ParameterType | Should -Be ([int])
        # its own runspace, to read the progress stream that a non-interactive host does not show
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript(@"
`$env:OS_CLIENT_CONFIG_FILE = '$LabClouds'
`$env:VDCPS_PLAN_CATALOG = '$SampleCatalog'
Import-Module '$ModulePath'
Connect-VdcCloud -Cloud vdcps-lab | Out-Null
'$($names -join ',')'.Split(',') | ForEach-Object { [pscustomobject]@{ Name = `$_; Plan = 'vdc-small'; CustomerId = 'C-BULK' } } |
    New-VdcTenant -ThrottleLimit 3 -Verbose
"@)
            $made = @($ps.Invoke())
            $ps.Streams.Error | Should -BeNullOrEmpty
            $made.Name | Should -Be $names -Because 'results keep the input order'
            $made.State | Sort-Object -Unique | Should -Be 'Active'
            @($ps.Streams.Progress | Where-Object Activity -eq 'Provisioning tenants').Count | Should -BeGreaterThan 0
            # every tenant's own verbose lines are written together, in input order
            $created = @($ps.Streams.Verbose | Where-Object Message -match '^Created project (\S+)' | ForEach-Object { $Matches[1] -replace "[`'`"]", '' })
            $created | Should -Be $names
        }
        finally { $ps.Dispose() }
        # the oracle: each project exists with its quota from the plan
        foreach ($name in $names) {
            $project = Invoke-OpenStack project show $name
            $project.name | Should -Be $name
            (Get-OscQuota -Project $project.id)['compute.cores'] | Should -Be 4
        }
    }
}
