#Requires -Version 7.2
<#
.SYNOPSIS
    The default table views (VdcPS.format.ps1xml) read well at 80 and at 120 columns (issue 20).
.DESCRIPTION
    Objects of each output type, with names longer than the 18 characters the old fixed widths cut,
    are rendered with Out-String -Width 80 and -Width 120. At 80 the essential columns (names,
    amounts with their currency, quantities) must be whole; at 120 every column must be there. Money
    has one scale per currency (its minor unit), quantities one scale (4 decimals).
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Long = 'acme-production-eu-west-1-tenant'   # 32 characters
    [xml]$format = Get-Content -Raw (Join-Path (Split-Path $ModulePath) 'VdcPS.format.ps1xml')
    $script:Labels = @{}
    foreach ($view in $format.Configuration.ViewDefinitions.View | Where-Object { $_.TableControl }) {
        $Labels[$view.Name] = @($view.TableControl.TableHeaders.TableColumnHeader.Label)
    }

    function New-Model([string] $Type, [hashtable] $Values) {
        $o = New-Object "VdcPS.Models.$Type"
        foreach ($k in $Values.Keys) { $o.$k = $Values[$k] }
        $o
    }
    function Show($Objects, [int] $Width) {
        $lines = $Objects | Out-String -Width $Width -Stream | Where-Object { $_ -ne '' }
        foreach ($l in $lines) { $l.Length | Should -BeLessOrEqual $Width -Because "'$l' fits $Width columns" }
        $lines -join "`n"
    }

    $script:Tenants = @(
        New-Model VdcTenant @{ Name = $Long; Plan = 'vdc-medium'; CustomerId = 'C-100234'; State = 'Active'; Enabled = $true; UserName = "$Long-admin"; ActivatedAt = [datetime]'2026-11-03 09:15' }
        New-Model VdcTenant @{ Name = 'b'; Plan = 'vdc-small'; CustomerId = 'C-2'; State = 'Active'; Enabled = $true; UserName = 'b-admin' }
    )
    $script:Quotas = @(New-Model VdcQuota @{ TenantName = $Long; Service = 'compute'; Resource = 'cores'; Limit = 16; InUse = 4; Reserved = 0; PlanRange = '8..32' })
    $script:Usage = @(
        New-Model VdcUsageRecord @{ TenantName = $Long; Resource = 'ram-gb-hour'; Quantity = [decimal]696; Unit = 'GB-hour'; Source = 'nova'; PeriodStart = [datetime]'2026-10-01'; PeriodEnd = [datetime]'2026-11-01' }
        New-Model VdcUsageRecord @{ TenantName = $Long; Resource = 'instance-hour'; Quantity = [decimal]0.0451103988888889; Unit = 'hour'; Source = 'nova'; PeriodStart = [datetime]'2026-10-01'; PeriodEnd = [datetime]'2026-11-01'; IsDetail = $true; ServerName = 'web-01' }
    )
    $script:Charges = @(
        New-Model VdcChargeLine @{ CustomerId = 'C-100234'; TenantName = $Long; ChargeType = 'MonthlyFee'; Description = 'Plan vdc-medium, October 2026'; Quantity = [decimal]1; Unit = 'month'; UnitPrice = [decimal]149; Amount = [decimal]149; Currency = 'EUR' }
        New-Model VdcChargeLine @{ CustomerId = 'C-100234'; TenantName = $Long; ChargeType = 'PayPerUse'; Description = 'vcpu-hour'; Quantity = [decimal]11160.5; Unit = 'vcpu-hour'; UnitPrice = [decimal]0.0125; Amount = [decimal]139.5; Currency = 'EUR' }
        New-Model VdcChargeLine @{ CustomerId = 'C-JP'; TenantName = 'tokyo'; ChargeType = 'MonthlyFee'; Description = 'Plan jp'; Quantity = [decimal]1; Unit = 'month'; UnitPrice = [decimal]1500; Amount = [decimal]1500; Currency = 'JPY' }
        New-Model VdcChargeLine @{ CustomerId = 'C-KW'; TenantName = 'kuwait'; ChargeType = 'MonthlyFee'; Description = 'Plan kw'; Quantity = [decimal]1; Unit = 'month'; UnitPrice = [decimal]1.25; Amount = [decimal]1.25; Currency = 'KWD' }
    )
    $script:Invoices = @(New-Model VdcInvoice @{ CustomerId = 'C-100234'; PeriodStart = [datetime]'2026-10-01'; PeriodEnd = [datetime]'2026-11-01'; Currency = 'EUR'; LineCount = 5; MonthlyFees = [decimal]149; SetupFees = [decimal]0; ProfessionalServices = [decimal]1200.5; PayPerUse = [decimal]139.5; Total = [decimal]1489; Tenants = $Long })
    $script:Plans = @(New-Model VdcPlan @{ Name = 'vdc-medium-premium-eu'; DisplayName = 'VDC Medium Premium (EU)'; Currency = 'EUR'; MonthlyFee = [decimal]149; SetupFee = [decimal]49.5; ProfessionalServicesAmount = [decimal]0; Role = 'member' })
}

Describe 'Default table views' -Tag Unit {
    It 'no view fixes a column width (columns take the width of their content, so names are not cut at 18)' {
        $format.Configuration.ViewDefinitions.View.TableControl.TableHeaders.TableColumnHeader | Where-Object { $_.Width } | Should -BeNullOrEmpty
    }

    It 'at 80 columns, <Name> shows the whole tenant name' -ForEach @(
        @{ Name = 'VdcTenant'; Var = 'Tenants' }, @{ Name = 'VdcQuota'; Var = 'Quotas' }, @{ Name = 'VdcUsageRecord'; Var = 'Usage' }, @{ Name = 'VdcChargeLine'; Var = 'Charges' }
    ) {
        Show (Get-Variable $Var -ValueOnly) 80 | Should -Match ([regex]::Escape($Long) + ' ')
    }

    It 'at 120 columns, <Name> shows every column of its view (the last, free text, may be cut)' -ForEach @(
        @{ Name = 'VdcTenant'; Var = 'Tenants' }, @{ Name = 'VdcQuota'; Var = 'Quotas' }, @{ Name = 'VdcUsageRecord'; Var = 'Usage' },
        @{ Name = 'VdcChargeLine'; Var = 'Charges' }, @{ Name = 'VdcInvoice'; Var = 'Invoices' }, @{ Name = 'VdcPlan'; Var = 'Plans' }
    ) {
        $header = (Show (Get-Variable $Var -ValueOnly) 120) -split "`n" | Select-Object -First 1
        $all = $Labels["VdcPS.Models.$Name"]
        foreach ($label in $all | Select-Object -SkipLast 1) { $header | Should -Match ([regex]::Escape($label)) }
        $header | Should -Match ([regex]::Escape($all[-1].Substring(0, 2)))
        $header | Should -Match ([regex]::Escape($Long)) -Because 'the header line is the first line' -Not
    }

    It 'charge lines: at 80 columns every amount is whole, with its currency''s decimals (EUR 2, JPY 0, KWD 3)' {
        $text = Show $Charges 80
        foreach ($amount in '149.00 EUR', '139.50 EUR', '1500 JPY', '1.250 KWD') { $text | Should -Match ([regex]::Escape($amount)) }
        $text | Should -Match '11160\.5000'   # quantities: one scale
        $text | Should -Match '\b1\.0000\b'
    }

    It 'invoices: the total is whole at 80 columns, every amount with 2 decimals' {
        $text = Show $Invoices 80
        $text | Should -Match '\b1489\.00\b'
        $text | Should -Match '\b149\.00\b'
        $text | Should -Match '\b1200\.50\b'
    }

    It 'plans: fees with the currency''s decimals (149.00, 49.50, not 149 and 49.5)' {
        $text = Show $Plans 80
        $text | Should -Match '\b149\.00\b'
        $text | Should -Match '\b49\.50\b'
    }

    It 'usage: quantities with one scale (4 decimals) at 80 columns, and the server of a detail row' {
        $text = Show $Usage 80
        $text | Should -Match '\b696\.0000\b'
        $text | Should -Match '\b0\.0451\b'
        $text | Should -Match 'web-01'
    }

    It 'the views print numbers in the current culture (de-DE: decimal comma), the objects keep exact values' {
        $saved = [cultureinfo]::CurrentCulture
        try {
            [cultureinfo]::CurrentCulture = 'de-DE'
            Show $Charges 120 | Should -Match '149,00 EUR'
        }
        finally { [cultureinfo]::CurrentCulture = $saved }
        $Usage[1].Quantity | Should -Be ([decimal]0.0451103988888889)
    }
}
