# Export-VdcInvoice: parameter contract, one culture-independent document per invoice, -Force, -WhatIf.
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

    It 'writes one CSV per invoice with safe names, the lines, the subtotals and the total' {
        $files = $Invoices | Export-VdcInvoice -Path $Dir
        $files.Name | Should -Be @('C-200_2026-11_EUR.csv', 'crm_4711_eu_2026-11_EUR.csv')
        $bytes = [IO.File]::ReadAllBytes($files[0].FullName)
        $bytes[0..2] | Should -Be @(0xEF, 0xBB, 0xBF)
        $rows = Import-Csv $files[0].FullName
        $rows.ChargeType | Should -Be @('MonthlyFee', 'SetupFee', 'ProfessionalService', 'Subtotal MonthlyFee', 'Subtotal SetupFee',
            'Subtotal ProfessionalService', 'Subtotal PayPerUse', 'Total')
        $rows[0].Amount | Should -Be '84.43'
        $rows[0].PeriodStart | Should -Be '2026-11-01'
        $rows[-1].Amount | Should -Be '303.43'    # 84.43 + 99.00 + 120.00
        (Import-Csv $files[1].FullName)[0].TenantName | Should -Be 'Initech Zürich'
    }

    It 'writes the same bytes in another culture, and refuses to overwrite without -Force' {
        $before = (Get-FileHash (Join-Path $Dir 'C-200_2026-11_EUR.csv')).Hash
        $saved = [System.Threading.Thread]::CurrentThread.CurrentCulture
        try {
            [System.Threading.Thread]::CurrentThread.CurrentCulture = 'de-DE'
            $Invoices | Export-VdcInvoice -Path $Dir -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $errs.Count | Should -Be 2
            $errs[0].FullyQualifiedErrorId | Should -Be 'InvoiceFileExists,VdcPS.Commands.ExportVdcInvoiceCommand'
            $Invoices | Export-VdcInvoice -Path $Dir -Force | Should -HaveCount 2
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
