BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
}

Describe 'Get-VdcAuditEntry' -Tag Unit {
    BeforeAll {
        $script:journal = Join-Path ([IO.Path]::GetTempPath()) "journal-$([guid]::NewGuid()).jsonl"
        @(
            '{"time":"2026-11-01T09:00:00.000Z","operator":"admin@admin","host":"h","cloud":"c","action":"New-VdcTenant","target":"acme","outcome":"Created","before":null,"after":{"plan":"vdc-small"},"message":null}'
            'this line was torn by a crash'
            '{"time":"2026-11-02T09:00:00.000Z","operator":"admin@admin","host":"h","cloud":"c","action":"Suspend-VdcTenant","target":"acme","outcome":"Suspended","before":{"state":"active"},"after":{"state":"suspended"},"message":null}'
            '{"time":"2026-11-03T09:00:00.000Z","operator":"ops@admin","host":"h","cloud":"c","action":"New-VdcTenant","target":"globex","outcome":"Failed","before":null,"after":null,"message":"injected"}'
        ) | Set-Content $journal
    }
    AfterAll { Remove-Item $journal }

    It 'reads entries back as objects, skipping a torn line' {
        $all = Get-VdcAuditEntry -Path $journal
        $all.Count | Should -Be 3
        $all[0].Time | Should -Be ([datetime]::new(2026, 11, 1, 9, 0, 0, [DateTimeKind]::Utc))
        $all[0].After | Should -Be '{"plan":"vdc-small"}'
    }

    It 'filters by target, action, time and keeps the last N' {
        (Get-VdcAuditEntry -Path $journal -Target acme).Count | Should -Be 2
        (Get-VdcAuditEntry -Path $journal -Action 'Suspend-*').Outcome | Should -Be 'Suspended'
        (Get-VdcAuditEntry -Path $journal -After '2026-11-02T00:00:00Z').Count | Should -Be 2
        (Get-VdcAuditEntry -Path $journal -Before '2026-11-02T00:00:00Z').Target | Should -Be 'acme'
        (Get-VdcAuditEntry -Path $journal -Last 1).Target | Should -Be 'globex'
    }

    It 'a missing journal file is JournalNotFound' {
        Get-VdcAuditEntry -Path ./no-such-journal.jsonl -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'JournalNotFound,*'
    }

    It 'exports to CSV with the same columns on every row' {
        $csv = Get-VdcAuditEntry -Path $journal | ConvertTo-Csv -NoTypeInformation
        $csv.Count | Should -Be 4
        $csv[0] | Should -Be '"Time","Operator","Host","Cloud","Action","Target","Outcome","Before","After","Message","Path"'
    }
}
