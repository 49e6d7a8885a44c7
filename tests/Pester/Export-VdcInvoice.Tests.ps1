# Export-VdcInvoice: parameter contract, culture-independent documents per invoice (CSV lines + summary, or HTML), -Force, -WhatIf.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Nov = [datetime]::new(2026, 11, 1, 0, 0, 0, [DateTimeKind]::Utc)
    $script:Dec = [datetime]::new(2026, 12, 1, 0, 0, 0, [DateTimeKind]::Utc)
    $t1 = [VdcPS.Models.VdcTenant]@{ Id = 'id-g'; Name = 'globex'; CustomerId = 'C-200'; Plan = 'vdc-small'; State = 'Active'; History = '2026-11-14T09:30:00Z activated vdc-small' }
    $t2 = [VdcPS.Models.VdcTenant]@{ Id = 'id-i'; Name = 'Initech Zürich'; CustomerId = 'crm:4711/eu'; Plan = 'vdc-medium'; State = 'Active'; History = '2026-06-01T00:00:00Z activated vdc-medium' }
    $script:Invoices = Measure-VdcCharge -Tenant $t1, $t2 -Start $Nov -End $Dec -CatalogPath $SampleCatalog | ConvertTo-VdcInvoice
    $script:Dir = Join-Path ([IO.Path]::GetTempPath()) ('vdcps-invoices-' + [guid]::NewGuid().ToString('N'))
}
AfterAll { Remove-Item -Recurse -Force $Dir -ErrorAction SilentlyContinue }

Describe 'Export-VdcInvoice parameter contract' -Tag Unit {
    It 'has InputObject (pipeline), Path (position 0), Format, Force and ShouldProcess' {
        $c = Get-Command Export-VdcInvoice
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        Compare-Object @($c.Parameters.Keys | Where-Object { $_ -notin $common }) @('InputObject', 'Path', 'Format', 'Force') | Should -BeNullOrEmpty
        $c.Parameters.InputObject.ParameterSets.Values[0].ValueFromPipeline | Should -BeTrue
        $c.Parameters.Path.ParameterSets.Values[0].Position | Should -Be 0
        $c.Parameters.Format.ParameterType | Should -Be ([VdcPS.Models.VdcInvoiceFormat])
        $c.Parameters.Keys | Should -Contain 'WhatIf'
        $c.OutputType.Name | Should -Be 'System.IO.FileInfo'
    }
}

Describe 'Export-VdcInvoice' -Tag Unit {
    It 'writes nothing with -WhatIf' {
        $Invoices | Export-VdcInvoice -Path $Dir -WhatIf | Should -BeNullOrEmpty
        Test-Path $Dir | Should -BeFalse
    }

    It 'writes per invoice a lines CSV whose Amount column sums to the total, and a summary CSV, with safe names' {
        $files = $Invoices | Export-VdcInvoice -Path $Dir
        $files.Name | Should -Be @('C-200_2026-11_EUR.csv', 'C-200_2026-11_EUR.summary.csv', 'crm_4711_eu_2026-11_EUR.csv', 'crm_4711_eu_2026-11_EUR.summary.csv')
        $bytes = [IO.File]::ReadAllBytes($files[0].FullName)
        $bytes[0..2] | Should -Be @(0xEF, 0xBB, 0xBF)
        $rows = Import-Csv $files[0].FullName
        $rows.ChargeType | Should -Be @('MonthlyFee', 'SetupFee', 'ProfessionalService')
        $rows[0].Amount | Should -Be '84.43'
        $rows[0].PeriodStart | Should -Be '2026-11-01T00:00:00Z'
        $rows[0].ServicePeriodStart | Should -Be '2026-11-01T00:00:00Z'
        $rows[1].ServicePeriodStart | Should -Be '2026-11-14T00:00:00Z'
        $rows[1].ServicePeriodEnd | Should -Be '2026-11-15T00:00:00Z'
        # what a spreadsheet does: sum the column
        $sum = ($rows | ForEach-Object { [decimal]::Parse($_.Amount, [cultureinfo]::InvariantCulture) } | Measure-Object -Sum).Sum
        $sum | Should -Be 303.43    # 84.43 + 99.00 + 120.00
        $summary = @(Import-Csv $files[1].FullName)
        $summary.Count | Should -Be 1
        $summary[0].PSObject.Properties.Name | Should -Be @('CustomerId', 'PeriodStart', 'PeriodEnd', 'Currency', 'Tenants', 'LineCount', 'MonthlyFees', 'Allocations', 'SetupFees',
            'ProfessionalServices', 'PayPerUse', 'Total', 'Source')
        $summary[0].Total | Should -Be '303.43'
        $summary[0].MonthlyFees | Should -Be '84.43'
        $summary[0].PayPerUse | Should -Be '0.00'
        $summary[0].Allocations | Should -Be '0.00'
        $summary[0].LineCount | Should -Be '3'
        $summary[0].PeriodEnd | Should -Be '2026-12-01T00:00:00Z'
        (Import-Csv $files[2].FullName)[0].TenantName | Should -Be 'Initech Zürich'
    }

    It 'reads its own lines file back into the same invoice, in any culture' {
        $saved = [System.Threading.Thread]::CurrentThread.CurrentCulture
        try {
            [System.Threading.Thread]::CurrentThread.CurrentCulture = 'de-DE'
            $again = Import-Csv (Join-Path $Dir 'C-200_2026-11_EUR.csv') | ConvertTo-VdcInvoice
            $again.Total | Should -Be 303.43
            $again.PeriodStart | Should -Be $Nov
            $again.Lines[1].ServicePeriodStart | Should -Be ([datetime]::new(2026, 11, 14, 0, 0, 0, [DateTimeKind]::Utc))
        }
        finally { [System.Threading.Thread]::CurrentThread.CurrentCulture = $saved }
    }

    It 'writes the same bytes in another culture, and refuses to overwrite without -Force' {
        $before = (Get-FileHash (Join-Path $Dir 'C-200_2026-11_EUR.csv')).Hash
        $saved = [System.Threading.Thread]::CurrentThread.CurrentCulture
        try {
            [System.Threading.Thread]::CurrentThread.CurrentCulture = 'de-DE'
            $Invoices | Export-VdcInvoice -Path $Dir -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $errs.Count | Should -Be 2
            $errs[0].FullyQualifiedErrorId | Should -Be 'InvoiceFileExists,VdcPS.Commands.ExportVdcInvoiceCommand'
            $Invoices | Export-VdcInvoice -Path $Dir -Force | Should -HaveCount 4
        }
        finally { [System.Threading.Thread]::CurrentThread.CurrentCulture = $saved }
        (Get-FileHash (Join-Path $Dir 'C-200_2026-11_EUR.csv')).Hash | Should -Be $before
    }

    It 'writes HTML documents with the total and escaped names' {
        $files = $Invoices | Export-VdcInvoice -Path $Dir -Format Html
        $files.Name | Should -Be @('C-200_2026-11_EUR.html', 'crm_4711_eu_2026-11_EUR.html')
        $html = Get-Content -Raw $files[0].FullName
        $html | Should -Match '<td>Total</td><td class="n">303.43 EUR</td>'
        (Get-Content -Raw $files[1].FullName) | Should -Match 'crm:4711/eu'
    }
}
