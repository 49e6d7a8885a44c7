# The module feels native: every change supports -WhatIf/-Confirm, parameter names are consistent,
# table views fit a 120-column terminal, errors carry a recommended action, and the documented
# pipelines work end to end against the lab.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Commands = @(Get-Command -Module VdcPS -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name; Verb = $_.Verb } })
    $script:Changing = @($Commands | Where-Object { $_.Verb -in 'New', 'Set', 'Remove', 'Suspend', 'Resume', 'Repair', 'Connect', 'Disconnect', 'Export' })
    [xml]$format = Get-Content -Raw (Join-Path (Split-Path $ModulePath) 'VdcPS.format.ps1xml')
    $script:Tables = @($format.Configuration.ViewDefinitions.View | Where-Object { $_.TableControl } | ForEach-Object {
            @{ View = $_.Name; Widths = @($_.TableControl.TableHeaders.TableColumnHeader | ForEach-Object { [int]$_.Width }) }
        })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
}

Describe 'Native feel' -Tag Unit {
    It '<Name> supports -WhatIf and -Confirm' -ForEach $Changing {
        $attr = (Get-Command $Name).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true)[0]
        $attr.SupportsShouldProcess | Should -BeTrue
    }

    It 'Remove-VdcTenant asks before it removes (ConfirmImpact High)' {
        (Get-Command Remove-VdcTenant).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true)[0].ConfirmImpact | Should -Be 'High'
    }

    It 'table view <View> sizes its columns to their content (no fixed width cuts a name; FormatViews.Tests.ps1 renders them at 80 and 120)' -ForEach $Tables {
        $Widths | ForEach-Object { $_ | Should -Be 0 -Because 'a fixed width cuts longer names and wastes room at 80 columns' }
    }

    It 'uses one name for one idea across all cmdlets' {
        $all = Get-Command -Module VdcPS -CommandType Cmdlet
        $names = $all | ForEach-Object { $_.Parameters.Keys } | Sort-Object -Unique
        # variants that would mean the same as a parameter VdcPS already has (compared ignoring case)
        foreach ($variant in 'Tenant_Id', 'ProjectName', 'Catalog', 'PlanCatalog', 'PlanCatalogPath', 'From', 'To', 'Until', 'Since', 'Throttle', 'MaxConcurrency', 'Customer', 'Cloudname') {
            if ($variant -eq 'ProjectName') { continue }   # Connect-VdcCloud's Keystone scope, as in the openstack CLI
            $names | Should -Not -Contain $variant
        }
        foreach ($cmd in $all) {
            if ($cmd.Parameters.ContainsKey('Id') -and $cmd.Noun -ne 'VdcCloud') {
                $cmd.Parameters.Id.Aliases | Should -Contain 'TenantId' -Because "$($cmd.Name) -Id takes a tenant id"
            }
            if ($cmd.Parameters.ContainsKey('CustomerId')) {
                $cmd.Parameters.CustomerId.Aliases | Should -Contain 'Customer' -Because $cmd.Name
            }
        }
    }

    It 'every cmdlet that talks to a cloud takes -Context' {
        $offline = 'Get-VdcVersion', 'Get-VdcContext', 'Connect-VdcCloud', 'Disconnect-VdcCloud', 'Test-VdcPlan', 'Get-VdcAuditEntry', 'ConvertTo-VdcInvoice', 'Export-VdcInvoice', 'Select-VdcContext'
        foreach ($cmd in Get-Command -Module VdcPS -CommandType Cmdlet | Where-Object Name -notin $offline) {
            $cmd.Parameters.Keys | Should -Contain 'Context' -Because "$($cmd.Name) talks to the cloud"
        }
    }

    It 'rough edges get their own clear, categorized errors (relative -AuthUrl, a catalog folder)' {
        $cred = [pscredential]::new('u', (ConvertTo-SecureString 'p' -AsPlainText -Force))
        $e = { Connect-VdcCloud -AuthUrl 'identity/v3' -Credential $cred } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -Be 'AuthOptionsInvalid,VdcPS.Commands.ConnectVdcCloudCommand'
        $e.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $e.Exception.Message | Should -Match 'relative'
        $folder = Split-Path $SampleCatalog
        $e = { Get-VdcPlan -CatalogPath $folder } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -Be 'PlanCatalogUnreadable,VdcPS.Commands.GetVdcPlanCommand'
        $e.Exception.Message | Should -Match 'is a folder'
        Test-VdcPlan -Path $folder -ErrorVariable err -ErrorAction SilentlyContinue | Out-Null
        $err[0].Exception.Message | Should -Match 'is a folder'
    }

    It 'an error without a connection says what to do' {
        Get-VdcContext -ListAvailable | Disconnect-VdcCloud -ErrorAction SilentlyContinue
        $e = { Get-VdcTenant } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'NoVdcContext,*'
        $e.ErrorDetails.RecommendedAction | Should -Match 'Connect-VdcCloud'
    }
}

Describe 'Documented pipelines against the lab' -Tag Lab {
    BeforeAll {
        Initialize-TestLab
        $script:t = New-VdcTenant -Name (New-TestTenantName 'pipe') -Plan vdc-small -CustomerId C-PIPE
    }
    AfterAll {
        Remove-TestProject $t.Name
        Clear-TestLab
    }

    It 'Get-VdcTenant | Get-VdcQuota | Export-Csv gives one header and the same columns on every row' {
        $csv = Join-Path ([IO.Path]::GetTempPath()) "q-$([guid]::NewGuid()).csv"
        try {
            Get-VdcTenant -Id $t.Id | Get-VdcQuota | Export-Csv $csv -NoTypeInformation
            $lines = Get-Content $csv
            ($lines | Where-Object { $_ -like '"TenantId"*' }).Count | Should -Be 1
            $rows = Import-Csv $csv
            $rows.Count | Should -BeGreaterOrEqual 15
            ($rows | ForEach-Object { $_.PSObject.Properties.Name -join ',' } | Sort-Object -Unique).Count | Should -Be 1
        }
        finally { Remove-Item $csv -ErrorAction SilentlyContinue }
    }

    It 'Get-VdcTenant | Get-VdcUsage | Measure-VdcCharge rates the tenant' {
        # this month: the tenant became active today, so its monthly fee is prorated from today
        $start = [datetime]::new([datetime]::UtcNow.Year, [datetime]::UtcNow.Month, 1, 0, 0, 0, [DateTimeKind]::Utc)
        $lines = @(Get-VdcTenant -Id $t.Id | Get-VdcUsage -Start $start -End $start.AddMonths(1) -WarningAction SilentlyContinue | Measure-VdcCharge)
        $lines.Count | Should -BeGreaterThan 0
        $mine = @($lines | Where-Object TenantId -eq $t.Id)
        $mine.ChargeType | Should -Contain 'MonthlyFee'
        $mine.Currency | Sort-Object -Unique | Should -Be 'EUR'
    }

    It 'Get-VdcTenant x | Get-VdcPlan gives the tenant''s plan, not a plan named like the tenant' {
        (Get-VdcTenant -Name $t.Name | Get-VdcPlan -ErrorAction Stop).Name | Should -Be 'vdc-small'
        @(Get-VdcTenant -Name $t.Name | Get-VdcPlan -Quota -ErrorAction Stop).Plan | Sort-Object -Unique | Should -Be 'vdc-small'
    }

    It 'Import-Csv (a Name column) | Get-VdcUsage reads those tenants, the same rows as by id' {
        # Two small seeded projects in a month no other suite seeds; the seeder is the oracle's source.
        $month = '2024-07'
        $seed = & /usr/bin/python3 (Join-Path $RepoRoot 'tests/lab/seed-usage.py') --lab $LabDir --generate 6 --projects 2 --month $month --seed 7320 --create-projects | ConvertFrom-Json
        $ids = @($seed.project_ids)
        $csv = Join-Path ([IO.Path]::GetTempPath()) "names-$([guid]::NewGuid()).csv"
        try {
            $tenants = @(Get-VdcTenant -Id $ids -IncludeUnmanaged)
            $tenants.Count | Should -Be 2
            $tenants | Select-Object Name, CustomerId | Export-Csv $csv -NoTypeInformation   # a Name column, no id
            $from = [datetime]"$month-01"; $to = $from.AddMonths(1)
            $byName = @(Import-Csv $csv | Get-VdcUsage -Start $from -End $to -Source Nova -ErrorAction Stop)
            $byId = @(Get-VdcUsage -Id $ids -Start $from -End $to -Source Nova)
            $byName.Count | Should -BeGreaterThan 0
            @($byName.TenantId | Sort-Object -Unique) | Should -Be @($ids | Sort-Object)
            $key = { "$($_.TenantId)|$($_.Resource)|$($_.Quantity)" }
            Compare-Object @($byId | ForEach-Object $key) @($byName | ForEach-Object $key) | Should -BeNullOrEmpty
            $seeded = ($seed.by_project.PSObject.Properties.Value | Measure-Object -Property instance_hours -Sum).Sum
            ($byName | Where-Object Resource -eq 'instance-hour' | Measure-Object -Property Quantity -Sum).Sum | Should -Be $seeded
        }
        finally {
            Remove-Item $csv -ErrorAction SilentlyContinue
            & /usr/bin/python3 (Join-Path $RepoRoot 'tests/lab/seed-usage.py') --lab $LabDir --clear-project ($ids -join ',') | Out-Null
        }
    }

    It '-Debug shows the HTTP lines and does not stop a non-interactive runbook' {
        # PowerShell maps -Debug on compiled cmdlets to Inquire (a prompt per line); VdcPS continues.
        $out = Invoke-FreshPwsh @"
`$env:OS_CLIENT_CONFIG_FILE = '$LabClouds'
`$env:VDCPS_PLAN_CATALOG = '$SampleCatalog'
Import-Module '$ModulePath'
Connect-VdcCloud -Cloud vdcps-lab | Out-Null
Set-VdcTenant -Id $($t.Id) -Description 'debugged' -Debug 5>&1 4>&1 | ForEach-Object { 'KIND=' + `$_.GetType().Name }
'STATE=' + (Get-VdcTenant -Id $($t.Id)).Description
"@
        $text = $out -join "`n"
        $text | Should -Not -Match 'NonInteractive mode'
        $text | Should -Match 'KIND=DebugRecord'
        $text | Should -Match 'KIND=VerboseRecord'
        $text | Should -Match 'STATE=debugged'
    }

    It 'every exported cmdlet runs with -Debug in a fresh non-interactive pwsh without a prompt' {
        # Each cmdlet does its normal work (or fails with its own error id), with -Debug, in
        # `pwsh -NonInteractive`, where any Inquire prompt is the "NonInteractive mode" error.
        # A new cmdlet must get a case here: the test fails for an exported cmdlet without one.
        $name = New-TestTenantName 'dbg'
        $dir = Join-Path ([IO.Path]::GetTempPath()) "vdcps-dbg-$([guid]::NewGuid().ToString('N'))"
        try {
            $out = Invoke-FreshPwsh @"
`$env:OS_CLIENT_CONFIG_FILE = '$LabClouds'
`$env:VDCPS_PLAN_CATALOG = '$SampleCatalog'
`$env:VDCPS_JOURNAL = '$dir/journal.jsonl'
`$ErrorActionPreference = 'Continue'
Import-Module '$ModulePath'
`$name = '$name'
`$start = [datetime]::new([datetime]::UtcNow.Year, [datetime]::UtcNow.Month, 1, 0, 0, 0, [DateTimeKind]::Utc)
`$cases = [ordered]@{
    'Get-VdcVersion'          = { Get-VdcVersion -Debug }
    'Connect-VdcCloud'        = { Connect-VdcCloud -Cloud vdcps-lab -Debug }
    'Get-VdcContext'          = { Get-VdcContext -Debug; Get-VdcContext -ListAvailable -Debug }
    'Select-VdcContext'       = { Select-VdcContext vdcps-lab -Debug }
    'Get-VdcPlan'             = { Get-VdcPlan -Debug; Get-VdcPlan vdc-small -Quota -Debug }
    'Test-VdcPlan'            = { Test-VdcPlan -Debug; Test-VdcPlan -CatalogPath '$SampleCatalog' -Quiet -Debug }
    'New-VdcTenant'           = { New-VdcTenant -Name `$name -Plan vdc-small -CustomerId C-DBG -Debug }
    'Get-VdcTenant'           = { Get-VdcTenant -Name `$name -Debug }
    'Set-VdcTenant'           = { Set-VdcTenant -Name `$name -Description debugged -Debug }
    'Suspend-VdcTenant'       = { Suspend-VdcTenant -Name `$name -Debug }
    'Resume-VdcTenant'        = { Resume-VdcTenant -Name `$name -Debug }
    'Get-VdcQuota'            = { Get-VdcQuota -Name `$name -Debug }
    'Set-VdcQuota'            = { Set-VdcQuota -Name `$name -Cores 6 -Debug }
    'Get-VdcUsage'            = { Get-VdcUsage -Name `$name -Start `$start -End `$start.AddMonths(1) -Debug }
    'Measure-VdcCharge'       = { `$script:lines = @(Get-VdcTenant -Name `$name | Measure-VdcCharge -Start `$start -End `$start.AddMonths(1) -Debug); `$script:lines }
    'ConvertTo-VdcInvoice'    = { `$script:invoices = @(`$script:lines | ConvertTo-VdcInvoice -Debug); `$script:invoices }
    'Export-VdcInvoice'       = { `$script:invoices | Export-VdcInvoice -Path '$dir' -Debug }
    'Get-VdcCloudKittyCharge' = { Get-VdcCloudKittyCharge -Start `$start -End `$start.AddMonths(1) -TenantId (Get-VdcTenant -Name `$name).Id -Debug }
    'Get-VdcAuditEntry'       = { Get-VdcAuditEntry -Target `$name -Debug }
    'Get-VdcTenantResource'   = { Get-VdcTenantResource -Name `$name -Debug }
    'Test-VdcTenant'          = { Test-VdcTenant -Name `$name -Debug }
    'Repair-VdcTenant'        = { Repair-VdcTenant -Name `$name -Debug }
    'Remove-VdcTenant'        = { Remove-VdcTenant -Name `$name -Force -Confirm:`$false -Debug }
    'Disconnect-VdcCloud'     = { Disconnect-VdcCloud -Debug }
}
foreach (`$missing in (Get-Command -Module VdcPS -CommandType Cmdlet).Name | Where-Object { `$_ -notin `$cases.Keys }) { "MISSING=`$missing" }
foreach (`$case in `$cases.GetEnumerator()) {
    `$kinds = @(); `$errors = @()
    try {
        foreach (`$record in & `$case.Value *>&1) {
            if (`$record -is [System.Management.Automation.ErrorRecord]) { `$errors += `$record } else { `$kinds += `$record.GetType().Name }
        }
    }
    catch { `$errors += `$_ }
    foreach (`$e in `$errors) { "ERROR=`$(`$case.Key)|`$(`$e.FullyQualifiedErrorId)|`$(`$e.Exception.Message)" }
    "CASE=`$(`$case.Key)|`$((`$kinds | Sort-Object -Unique) -join ',')"
}
"@
            $text = $out -join "`n"
            $text | Should -Not -Match 'NonInteractive mode'
            $text | Should -Not -Match 'MISSING=' -Because 'every exported cmdlet needs a -Debug case'
            $cases = @($out | Where-Object { $_ -like 'CASE=*' })
            $cases.Count | Should -Be @(Get-Command -Module VdcPS -CommandType Cmdlet).Count
            # Errors are the cmdlets' own (a VdcPS error id), never the host's prompt failure.
            foreach ($line in $out | Where-Object { $_ -like 'ERROR=*' }) {
                $line | Should -Match '^ERROR=[^|]+\|[A-Za-z]+,VdcPS\.Commands\.' -Because 'an error under -Debug is the cmdlet''s own'
            }
            # The cloud cmdlets did their work and showed their HTTP lines.
            foreach ($cmd in 'Connect-VdcCloud', 'New-VdcTenant', 'Get-VdcTenant', 'Set-VdcTenant', 'Suspend-VdcTenant', 'Resume-VdcTenant', 'Get-VdcQuota', 'Set-VdcQuota', 'Get-VdcUsage', 'Measure-VdcCharge', 'Remove-VdcTenant') {
                $text | Should -Match "CASE=$cmd\|[^\n]*DebugRecord" -Because "$cmd writes its HTTP lines under -Debug"
            }
            foreach ($cmd in 'Get-VdcPlan', 'Test-VdcPlan', 'Get-VdcUsage', 'Select-VdcContext', 'Disconnect-VdcCloud') {
                $text | Should -Match "CASE=$cmd\|[^\n]*VerboseRecord" -Because "-Debug shows $cmd's verbose lines too"
            }
            $text | Should -Match 'CASE=Get-VdcPlan\|[^\n]*VdcPlan'
            $text | Should -Match 'CASE=Export-VdcInvoice\|[^\n]*FileInfo'
            $text | Should -Not -Match 'ERROR=(New|Get|Set|Remove)-VdcTenant\|'
            # the oracle: the tenant was made and removed under -Debug
            $env:OS_CLIENT_CONFIG_FILE = $LabClouds
            & openstack --os-cloud vdcps-lab project show $name -f json 2>$null | Out-Null
            $LASTEXITCODE | Should -Not -Be 0 -Because 'Remove-VdcTenant -Debug removed the tenant'
        }
        finally {
            Remove-TestProject $name
            Remove-Item -Recurse -Force $dir -ErrorAction SilentlyContinue
        }
    }

    It 'tab completion knows tenant, plan and cloud names' {
        Get-VdcTenant -Id $t.Id | Out-Null
        $complete = { param($line) ([System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null)).CompletionMatches.CompletionText }
        & $complete "Suspend-VdcTenant -Name $($t.Name.Substring(0, 7))" | Should -Contain $t.Name
        & $complete 'New-VdcTenant -Plan vdc-m' | Should -Contain 'vdc-medium'
        & $complete 'Connect-VdcCloud -Cloud vdcps-lab-s' | Should -Contain 'vdcps-lab-system'
    }
}
