# ConvertTo-VdcInvoice: parameter contract and invoices per customer, period and currency (sums of rounded lines).
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Nov = [datetime]::new(2026, 11, 1, 0, 0, 0, [DateTimeKind]::Utc)
    $script:Dec = [datetime]::new(2026, 12, 1, 0, 0, 0, [DateTimeKind]::Utc)
    function New-Line([string] $Customer, [string] $Tenant, [string] $Type, [decimal] $Amount, [string] $Currency = 'EUR', [datetime] $Start = $Nov) {
        [VdcPS.Models.VdcChargeLine]@{
            CustomerId = $Customer; TenantId = "id-$Tenant"; TenantName = $Tenant; Plan = 'p'; PeriodStart = $Start; PeriodEnd = $Start.AddMonths(1)
            ChargeType = $Type; Description = 'd'; Quantity = 1; Unit = 'each'; UnitPrice = $Amount; Amount = $Amount; Currency = $Currency
        }
    }
}

Describe 'ConvertTo-VdcInvoice parameter contract' -Tag Unit {
    It 'has only InputObject: mandatory, position 0, from the pipeline' {
        $c = Get-Command ConvertTo-VdcInvoice
        $common = [System.Management.Automation.Cmdlet]::CommonParameters
        @($c.Parameters.Keys | Where-Object { $_ -notin $common }) | Should -Be @('InputObject')
        $p = $c.Parameters.InputObject
        $p.ParameterType | Should -Be ([VdcPS.Models.VdcChargeLine[]])
        $p.ParameterSets.Values[0].IsMandatory | Should -BeTrue
        $p.ParameterSets.Values[0].Position | Should -Be 0
        $p.ParameterSets.Values[0].ValueFromPipeline | Should -BeTrue
        $c.OutputType.Name | Should -Be 'VdcPS.Models.VdcInvoice'
    }
}

Describe 'ConvertTo-VdcInvoice' -Tag Unit {
    It 'makes one invoice per customer, period and currency, with sums of the rounded lines' {
        $lines = @(
            New-Line C-2 b PayPerUse 1.10
            New-Line C-1 a MonthlyFee 149.00
            New-Line C-1 a PayPerUse 0.03
            New-Line C-1 a PayPerUse 0.03
            New-Line C-1 a PayPerUse 0.03
            New-Line C-1 a2 SetupFee 99.00
            New-Line C-1 a2 ProfessionalService 120.00
            New-Line C-1 a PayPerUse 5 JPY
            New-Line C-1 a MonthlyFee 149.00 EUR $Dec
        )
        $invoices = $lines | ConvertTo-VdcInvoice
        $invoices | ForEach-Object { '{0} {1:yyyy-MM} {2} {3} {4}/{5}/{6}/{7} {8} [{9}]' -f $_.CustomerId, $_.PeriodStart, $_.Currency, $_.LineCount,
            $_.MonthlyFees, $_.SetupFees, $_.ProfessionalServices, $_.PayPerUse, $_.Total, $_.Tenants } | Should -Be @(
            'C-1 2026-11 EUR 6 149.00/99.00/120.00/0.09 368.09 [a; a2]'   # 149.00 + 99.00 + 120.00 + 0.03 x 3
            'C-1 2026-11 JPY 1 0/0/0/5 5 [a]'
            'C-1 2026-12 EUR 1 149.00/0.00/0.00/0.00 149.00 [a]'
            'C-2 2026-11 EUR 1 0.00/0.00/0.00/1.10 1.10 [b]'
        )
        $invoices[0].Lines.Count | Should -Be 6
        $invoices[0].Lines[0] | Should -BeOfType ([VdcPS.Models.VdcChargeLine])
        $invoices[0].Total | Should -BeOfType ([decimal])
    }

    It 'accepts lines read back from Export-Csv (same culture) and gives the same totals' {
        $file = Join-Path ([IO.Path]::GetTempPath()) ("vdcps-lines-$([guid]::NewGuid()).csv")
        $saved = [System.Threading.Thread]::CurrentThread.CurrentCulture
        try {
            [System.Threading.Thread]::CurrentThread.CurrentCulture = 'en-US'
            @(New-Line C-1 a MonthlyFee 84.43; New-Line C-1 a PayPerUse 11.42) | Export-Csv $file -NoTypeInformation
            $invoice = Import-Csv $file | ConvertTo-VdcInvoice
            $invoice.Total | Should -Be 95.85
            $invoice.PeriodStart | Should -Be $Nov
        }
        finally {
            [System.Threading.Thread]::CurrentThread.CurrentCulture = $saved
            Remove-Item $file -ErrorAction SilentlyContinue
        }
    }

    It 'returns nothing for no lines' {
        @() | ConvertTo-VdcInvoice | Should -BeNullOrEmpty
    }

    It 'groups the lines of Measure-VdcCharge for the sample plans' {
        $t = [VdcPS.Models.VdcTenant]@{ Id = 'id-g'; Name = 'globex'; CustomerId = 'C-200'; Plan = 'vdc-small'; State = 'Active'; History = '2026-11-14T09:30:00Z activated vdc-small' }
        $invoice = Measure-VdcCharge -Tenant $t -Start $Nov -End $Dec -CatalogPath $SampleCatalog | ConvertTo-VdcInvoice
        # 84.43 (17 of 30 days of 149.00) + 99.00 + 120.00
        $invoice.Total | Should -Be 303.43
        $invoice.LineCount | Should -Be 3
        $invoice.Source | Should -Be 'vdcps'
    }
}
