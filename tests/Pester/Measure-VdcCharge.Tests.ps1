# Measure-VdcCharge: parameter contract, offline rating of the sample plans (hand-computed amounts),
# errors, byte-identical CSV, and a lab round trip (tenant created, suspended, rated from the cloud).
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Nov = [datetime]::new(2026, 11, 1, 0, 0, 0, [DateTimeKind]::Utc)
    $script:Dec = [datetime]::new(2026, 12, 1, 0, 0, 0, [DateTimeKind]::Utc)

    function New-Tenant([string] $Name, [string] $Customer, [string] $Plan, [string] $History) {
        [VdcPS.Models.VdcTenant]@{ Id = "id-$Name"; Name = $Name; CustomerId = $Customer; Plan = $Plan; State = 'Active'; History = $History }
    }
    function New-Usage($Tenant, [string] $Resource, [decimal] $Quantity, [datetime] $Start = $Nov, [datetime] $End = $Dec, [switch] $Detail) {
        [VdcPS.Models.VdcUsageRecord]@{
            TenantId = $Tenant.Id; TenantName = $Tenant.Name; CustomerId = $Tenant.CustomerId; Plan = $Tenant.Plan
            PeriodStart = $Start; PeriodEnd = $End; Resource = $Resource; Quantity = $Quantity; Source = 'nova'; IsDetail = [bool]$Detail
        }
    }
    function Format-Line($l) { '{0} {1} {2} {3} {4} x {5} = {6}' -f $l.TenantName, $l.Plan, $l.ChargeType, $l.Unit, $l.Quantity, $l.UnitPrice, $l.Amount }

    $script:Globex = New-Tenant globex C-200 vdc-small '2026-11-14T09:30:00Z activated vdc-small'
    $script:Erp = New-Tenant globex-erp C-200 vdc-large '2026-08-01T00:00:00Z activated vdc-medium; 2026-11-21T08:00:00Z plan-changed vdc-large'
    $script:Dev = New-Tenant acme-dev C-100 vdc-payg '2026-10-01T00:00:00Z activated vdc-payg; 2026-11-10T12:00:00Z suspended vdc-payg'
    $script:Usage = @(
        New-Usage $Globex volume-gb-hour 81600
        New-Usage $Globex floating-ip-hour 408
        New-Usage $Erp volume-gb-hour 300000
        New-Usage $Dev vcpu-hour 816
        New-Usage $Dev ram-gb-hour 1632
        New-Usage $Dev vcpu-hour 500 -Detail
    )
}

Describe 'Measure-VdcCharge parameter contract' -Tag Unit {
    It 'has the parameter sets Cloud (default) and Tenant' {
        $c = Get-Command Measure-VdcCharge
        $c.Verb | Should -Be 'Measure'
        $c.ParameterSets.Name | Sort-Object | Should -Be @('Cloud', 'Tenant')
        $c.DefaultParameterSet | Should -Be 'Cloud'
        $c.Parameters.Tenant.ParameterSets.Tenant.IsMandatory | Should -BeTrue
    }

    It 'has exactly the parameters InputObject, Start, End, Tenant, CatalogPath, Context' {
        $common = [System.Management.Automation.Cmdlet]::CommonParameters
        $names = (Get-Command Measure-VdcCharge).Parameters.Keys | Where-Object { $_ -notin $common }
        Compare-Object @($names) @('InputObject', 'Start', 'End', 'Tenant', 'CatalogPath', 'Context') | Should -BeNullOrEmpty
    }

    It 'takes usage rows from the pipeline and declares VdcChargeLine' {
        $p = (Get-Command Measure-VdcCharge).Parameters
        $p.InputObject.ParameterType | Should -Be ([VdcPS.Models.VdcUsageRecord[]])
        $p.InputObject.Attributes.Where({ $_ -is [Parameter] }).ValueFromPipeline | Should -Contain $true
        $p.Start.ParameterType | Should -Be ([Nullable[datetime]])
        $p.Tenant.ParameterType | Should -Be ([VdcPS.Models.VdcTenant[]])
        (Get-Command Measure-VdcCharge).OutputType.Name | Should -Be 'VdcPS.Models.VdcChargeLine'
    }
}

Describe 'Measure-VdcCharge offline with the sample catalog' -Tag Unit {
    BeforeAll {
        $script:lines = $Usage | Measure-VdcCharge -Tenant $Globex, $Erp, $Dev -CatalogPath $SampleCatalog -WarningVariable script:warnings
    }

    It 'rates every fee and priced usage, in invoice order, to the cent' {
        # globex (vdc-small, activated 2026-11-14): 149 x 17 / 30 = 84.43; setup 99.00; onboarding 120.00;
        #   408 x 0.0055 = 2.244 -> 2.24; 81600 x 0.00014 = 11.424 -> 11.42
        # globex-erp (medium -> large 2026-11-21 08:00): 549 x 20 / 30 = 366.00; 1990 x 10 / 30 = 663.33;
        #   300000 x 0.00012 = 36.00 (vdc-large, the plan at the end of the period)
        # acme-dev (vdc-payg, suspended 2026-11-10, no fees): 1632 x 0.0055 = 8.976 -> 8.98; 816 x 0.0125 = 10.20;
        #   the per-server row is ignored
        $lines | ForEach-Object { Format-Line $_ } | Should -Be @(
            'acme-dev vdc-payg PayPerUse ram-gb-hour 1632 x 0.0055 = 8.98'
            'acme-dev vdc-payg PayPerUse vcpu-hour 816 x 0.0125 = 10.20'
            'globex vdc-small MonthlyFee day 17 x 4.966667 = 84.43'
            'globex vdc-small SetupFee each 1 x 99.00 = 99.00'
            'globex vdc-small ProfessionalService each 1 x 120.00 = 120.00'
            'globex vdc-small PayPerUse floating-ip-hour 408 x 0.0055 = 2.24'
            'globex vdc-small PayPerUse volume-gb-hour 81600 x 0.00014 = 11.42'
            'globex-erp vdc-medium MonthlyFee day 20 x 18.30 = 366.00'
            'globex-erp vdc-large MonthlyFee day 10 x 66.333333 = 663.33'
            'globex-erp vdc-large PayPerUse volume-gb-hour 300000 x 0.00012 = 36.00'
        )
        $lines | ForEach-Object { $_ | Should -BeOfType ([VdcPS.Models.VdcChargeLine]) }
        $lines.Amount | ForEach-Object { $_ | Should -BeOfType ([decimal]) }
        ($lines | Measure-Object Amount -Sum).Sum | Should -Be 1401.60  # acme-dev 8.98 + 10.20 = 19.18; globex 84.43 + 99.00 + 120.00 + 2.24 + 11.42 = 317.09; globex-erp 366.00 + 663.33 + 36.00 = 1065.33
        # the per-server row is not lost silently: one warning at the end counts it
        @($warnings).Count | Should -Be 1
        $warnings[0].Message | Should -Be 'UsageSkipped: 1 of 6 usage rows skipped: 1 per-server rows (IsDetail).'
    }

    It 'says which service period each line covers' {
        # the month of the fee; the activation day of the setup fee and the bundled service; the usage row's own period
        $lines | ForEach-Object { '{0} {1} {2:yyyy-MM-dd} {3:yyyy-MM-dd}' -f $_.TenantName, $_.ChargeType, $_.ServicePeriodStart, $_.ServicePeriodEnd } | Select-Object -Skip 2 -First 5 |
            Should -Be @(
                'globex MonthlyFee 2026-11-01 2026-12-01'
                'globex SetupFee 2026-11-14 2026-11-15'
                'globex ProfessionalService 2026-11-14 2026-11-15'
                'globex PayPerUse 2026-11-01 2026-12-01'
                'globex PayPerUse 2026-11-01 2026-12-01'
            )
        $lines | ForEach-Object { $_.ServicePeriodStart.Kind | Should -Be 'Utc' }
    }

    It 'takes the period from the usage rows, in UTC' {
        $lines | ForEach-Object { $_.PeriodStart | Should -Be $Nov; $_.PeriodEnd | Should -Be $Dec; $_.PeriodStart.Kind | Should -Be 'Utc' }
        $lines.Currency | Select-Object -Unique | Should -Be 'EUR'
        $lines.Source | Select-Object -Unique | Should -Be 'vdcps'
    }

    It 'gives the same lines for -Start/-End as dates without a zone' {
        $again = $Usage | Measure-VdcCharge -Tenant $Globex, $Erp, $Dev -CatalogPath $SampleCatalog -Start 2026-11-01 -End 2026-12-01
        ($again | ForEach-Object { Format-Line $_ }) | Should -Be ($lines | ForEach-Object { Format-Line $_ })
    }

    It 'rates only fees without usage rows' {
        $fees = Measure-VdcCharge -Tenant $Globex -CatalogPath $SampleCatalog -Start 2026-12-01 -End 2027-01-01
        $fees | ForEach-Object { Format-Line $_ } | Should -Be 'globex vdc-small MonthlyFee day 31 x 4.806452 = 149.00'
    }

    It 'writes byte-identical CSV for the same input in the same culture' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ('vdcps-csv-' + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $dir | Out-Null
        $saved = [System.Threading.Thread]::CurrentThread.CurrentCulture
        try {
            [System.Threading.Thread]::CurrentThread.CurrentCulture = 'en-US'
            foreach ($n in 1, 2) {
                $Usage | Measure-VdcCharge -Tenant $Globex, $Erp, $Dev -CatalogPath $SampleCatalog | Export-Csv "$dir/$n.csv" -NoTypeInformation
            }
            (Get-FileHash "$dir/1.csv").Hash | Should -Be (Get-FileHash "$dir/2.csv").Hash
            $rows = Import-Csv "$dir/1.csv"
            $rows.Count | Should -Be 10
            ($rows[0].PSObject.Properties.Name) | Should -Be @('CustomerId', 'TenantId', 'TenantName', 'Plan', 'PeriodStart', 'PeriodEnd',
                'ServicePeriodStart', 'ServicePeriodEnd', 'ChargeType', 'Description', 'Quantity', 'Unit', 'UnitPrice', 'Amount', 'Currency', 'Source')
            $rows[2].Amount | Should -Be '84.43'
        }
        finally {
            [System.Threading.Thread]::CurrentThread.CurrentCulture = $saved
            Remove-Item -Recurse -Force $dir
        }
    }
}

Describe 'Measure-VdcCharge errors' -Tag Unit {
    It 'needs a period when there are no usage rows' {
        { Measure-VdcCharge -Tenant $Globex -CatalogPath $SampleCatalog -ErrorAction Stop } | Should -Throw -ErrorId 'PeriodMissing,VdcPS.Commands.MeasureVdcChargeCommand'
    }

    It 'refuses an end before the start' {
        { Measure-VdcCharge -Tenant $Globex -CatalogPath $SampleCatalog -Start 2026-12-01 -End 2026-11-01 -ErrorAction Stop } | Should -Throw -ErrorId 'PeriodInvalid,VdcPS.Commands.MeasureVdcChargeCommand'
    }

    It 'writes PlanNotFound for a plan missing from the catalog and rates the rest' {
        $odd = New-Tenant odd C-9 vdc-gone '2026-10-01T00:00:00Z activated vdc-gone'
        $out = Measure-VdcCharge -Tenant $odd, $Globex -CatalogPath $SampleCatalog -Start $Nov -End $Dec -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'PlanNotFound,VdcPS.Commands.MeasureVdcChargeCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].TargetObject | Should -Be 'odd'
        $out.TenantName | Select-Object -Unique | Should -Be 'globex'
    }

    It 'writes UsageDuplicate for a second equal total and charges it once' {
        $twice = @((New-Usage $Dev vcpu-hour 816), (New-Usage $Dev vcpu-hour 816))
        $out = $twice | Measure-VdcCharge -Tenant $Dev -CatalogPath $SampleCatalog -ErrorVariable errs -ErrorAction SilentlyContinue -WarningVariable w -WarningAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be 'UsageDuplicate,VdcPS.Commands.MeasureVdcChargeCommand'
        @($out).Count | Should -Be 1
        $out.Amount | Should -Be 10.20
        $w.Message | Should -Be 'UsageSkipped: 1 of 2 usage rows skipped: 1 duplicate totals (UsageDuplicate).'
    }

    It 'charges neither of two different totals, in either order' {
        # 100 then 120 vCPU-hours used to bill 100 x 0.0125 = 1.25; reversed, 1.50
        $a = New-Usage $Dev vcpu-hour 100; $a.Source = 'nova'
        $b = New-Usage $Dev vcpu-hour 120; $b.Source = 'gnocchi'
        $ram = New-Usage $Dev ram-gb-hour 1632
        foreach ($rows in @($a, $b, $ram), @($ram, $b, $a)) {
            $out = $rows | Measure-VdcCharge -Tenant $Dev -CatalogPath $SampleCatalog -ErrorVariable errs -ErrorAction SilentlyContinue -WarningVariable w -WarningAction SilentlyContinue
            $out | ForEach-Object { Format-Line $_ } | Should -Be 'acme-dev vdc-payg PayPerUse ram-gb-hour 1632 x 0.0055 = 8.98'
            @($errs).Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'UsageDuplicate,VdcPS.Commands.MeasureVdcChargeCommand'
            $errs[0].Exception.Message | Should -BeLike '*100 (nova), 120 (gnocchi)*None is charged*'
            $w.Message | Should -Be 'UsageSkipped: 2 of 3 usage rows skipped: 2 duplicate totals (UsageDuplicate).'
        }
    }

    It 'starts each warning with its id, so -WarningVariable output can be filtered' {
        $old = New-Usage $Dev vcpu-hour 5 -Start ([datetime]'2026-10-01') -End $Nov
        $null = $old, (New-Usage $Dev vcpu-hour 816) | Measure-VdcCharge -Tenant $Globex -CatalogPath $SampleCatalog -Start $Nov -End $Dec -WarningVariable w -WarningAction SilentlyContinue
        $w.Message | ForEach-Object { ($_ -split ':')[0] } | Should -Be @('UsageOutsidePeriod', 'UsageTenantUnknown', 'UsageSkipped')
        @($w | Where-Object Message -like 'UsageOutsidePeriod:*').Count | Should -Be 1
    }

    It 'warns about usage of tenants it does not rate, and rates it with the row''s plan' {
        $out = New-Usage $Dev vcpu-hour 816 | Measure-VdcCharge -Tenant $Globex -CatalogPath $SampleCatalog -WarningVariable w -WarningAction SilentlyContinue
        $w | Should -Match 'acme-dev'
        ($out | Where-Object TenantName -eq 'acme-dev').Amount | Should -Be 10.20
    }

    It 'writes TenantHistoryInvalid for a tenant whose history cannot be read' {
        $bad = New-Tenant bad C-9 vdc-small 'yesterday activated vdc-small'
        $null = Measure-VdcCharge -Tenant $bad -CatalogPath $SampleCatalog -Start $Nov -End $Dec -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -Be 'TenantHistoryInvalid,VdcPS.Commands.MeasureVdcChargeCommand'
    }

    It 'needs a connection to rate the cloud''s tenants' {
        $ps = Invoke-FreshPwsh "Import-Module '$ModulePath'; try { Measure-VdcCharge -Start 2026-11-01 -End 2026-12-01 -CatalogPath '$SampleCatalog' -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId }"
        $ps | Should -Contain 'NoVdcContext,VdcPS.Commands.MeasureVdcChargeCommand'
    }
}

Describe 'Measure-VdcCharge against the lab' -Tag Lab {
    BeforeAll {
        Initialize-TestLab -NoCatalog
        $script:name = New-TestTenantName 'bill'
        $script:customer = 'BILL-' + $name.Substring(5)
        $script:tenant = New-VdcTenant -Name $name -Plan vdc-small -CustomerId $customer -CatalogPath $SampleCatalog
        $now = [datetime]::UtcNow
        $script:monthStart = [datetime]::new($now.Year, $now.Month, 1, 0, 0, 0, [DateTimeKind]::Utc)
        $script:monthEnd = $monthStart.AddMonths(1)
        $script:daysInMonth = [datetime]::DaysInMonth($now.Year, $now.Month)
        $script:activeDays = $daysInMonth - $tenant.ActivatedAt.Day + 1
    }
    AfterAll {
        Remove-TestProject $name
        Clear-TestLab
    }

    It 'rates a tenant created today from its Keystone history: prorated fee, setup fee, onboarding' {
        $lines = Measure-VdcCharge -Start $monthStart -End $monthEnd -CatalogPath $SampleCatalog | Where-Object TenantId -eq $tenant.Id
        $lines.ChargeType | Should -Be @('MonthlyFee', 'SetupFee', 'ProfessionalService')
        $fee = $lines[0]
        $fee.Quantity | Should -Be $activeDays
        $fee.Amount | Should -Be ([math]::Round(149.00 * $activeDays / $daysInMonth, 2, [MidpointRounding]::AwayFromZero))
        $fee.CustomerId | Should -Be $customer
        $fee.TenantName | Should -Be $name
        $lines[1].Amount | Should -Be 99.00
        $lines[2].Amount | Should -Be 120.00
    }

    It 'runs the documented pipeline: Get-VdcUsage | Measure-VdcCharge | Export-Csv' {
        $csv = Join-Path ([IO.Path]::GetTempPath()) "vdcps-invoice-lines-$([guid]::NewGuid()).csv"
        try {
            Get-VdcUsage -Id $tenant.Id -Start $monthStart -End $monthEnd -WarningAction SilentlyContinue |
                Measure-VdcCharge -CatalogPath $SampleCatalog | Export-Csv -Path $csv -NoTypeInformation
            $rows = @(Import-Csv $csv | Where-Object TenantId -eq $tenant.Id)
            $rows.ChargeType | Should -Be @('MonthlyFee', 'SetupFee', 'ProfessionalService')
            $rows[0].CustomerId | Should -Be $customer
            $rows[0].Quantity | Should -Be "$activeDays"
        }
        finally { Remove-Item $csv -ErrorAction SilentlyContinue }
    }

    It 'keeps the day of the suspension, and rates the same with -Tenant from Get-VdcTenant' {
        Suspend-VdcTenant -Name $name -Confirm:$false | Out-Null
        $fromCloud = Measure-VdcCharge -Start $monthStart -End $monthEnd -CatalogPath $SampleCatalog | Where-Object TenantId -eq $tenant.Id
        # suspended today (maybe in the very second of the activation): only today counts
        $fromCloud.ChargeType | Should -Be @('MonthlyFee', 'SetupFee', 'ProfessionalService')
        $fromCloud[0].Quantity | Should -Be 1
        $fromCloud[0].Amount | Should -Be ([math]::Round(149.00 / $daysInMonth, 2, [MidpointRounding]::AwayFromZero))
        $offline = Measure-VdcCharge -Tenant (Get-VdcTenant -Name $name) -Start $monthStart -End $monthEnd -CatalogPath $SampleCatalog
        ($offline | ForEach-Object { Format-Line $_ }) | Should -Be ($fromCloud | ForEach-Object { Format-Line $_ })
    }
}
