# The lab setup the test files share (common.ps1): Initialize-TestLab sets the clouds file, the catalog
# and a fresh journal and connects; Clear-TestLab undoes the latest call, journal file included.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Names = 'OS_CLIENT_CONFIG_FILE', 'VDCPS_PLAN_CATALOG', 'VDCPS_JOURNAL'
    $script:Outside = @{}
    foreach ($n in $Names) { $Outside[$n] = [Environment]::GetEnvironmentVariable($n) }
    function Get-LabVariables { $v = @{}; foreach ($n in $Names) { $v[$n] = [Environment]::GetEnvironmentVariable($n) }; $v }
}
AfterAll {
    foreach ($n in $Names) { [Environment]::SetEnvironmentVariable($n, $Outside[$n]) }
}

Describe 'Initialize-TestLab and Clear-TestLab' -Tag Unit {
    BeforeEach {
        $env:OS_CLIENT_CONFIG_FILE = 'before-clouds.yaml'; $env:VDCPS_PLAN_CATALOG = 'before-plans.yaml'; $env:VDCPS_JOURNAL = 'before.jsonl'
    }

    It 'sets the lab clouds file, the sample catalog and a new journal name, and puts them back' {
        Initialize-TestLab -NoConnect | Should -BeNullOrEmpty
        $env:OS_CLIENT_CONFIG_FILE | Should -Be $LabClouds
        $env:VDCPS_PLAN_CATALOG | Should -Be $SampleCatalog
        $env:VDCPS_JOURNAL | Should -BeLike (Join-Path ([IO.Path]::GetTempPath()) 'vdcps-journal-*.jsonl')
        Test-Path $env:VDCPS_JOURNAL | Should -BeFalse -Because 'the journal is only named, the module creates it'
        $journal = $env:VDCPS_JOURNAL
        Set-Content $journal '{}'
        Clear-TestLab
        Test-Path $journal | Should -BeFalse
        $v = Get-LabVariables
        $v.OS_CLIENT_CONFIG_FILE | Should -Be 'before-clouds.yaml'
        $v.VDCPS_PLAN_CATALOG | Should -Be 'before-plans.yaml'
        $v.VDCPS_JOURNAL | Should -Be 'before.jsonl'
    }

    It 'takes another catalog; -NoCatalog and -NoJournal leave those variables alone, also when clearing' {
        Initialize-TestLab -NoConnect -Catalog 'other-plans.yaml'
        $env:VDCPS_PLAN_CATALOG | Should -Be 'other-plans.yaml'
        Clear-TestLab
        Initialize-TestLab -NoConnect -NoCatalog -NoJournal
        $env:OS_CLIENT_CONFIG_FILE | Should -Be $LabClouds
        $env:VDCPS_PLAN_CATALOG | Should -Be 'before-plans.yaml'
        $env:VDCPS_JOURNAL | Should -Be 'before.jsonl'
        $env:VDCPS_PLAN_CATALOG = 'changed-by-a-test.yaml'
        Clear-TestLab
        $env:OS_CLIENT_CONFIG_FILE | Should -Be 'before-clouds.yaml'
        $env:VDCPS_PLAN_CATALOG | Should -Be 'changed-by-a-test.yaml' -Because 'only what Initialize-TestLab set is put back'
    }

    It 'undoes nested calls one at a time, latest first, and an unset variable stays unset' {
        $env:VDCPS_JOURNAL = $null
        Initialize-TestLab -NoConnect -NoJournal
        Initialize-TestLab -NoConnect -NoCatalog
        $inner = $env:VDCPS_JOURNAL
        $inner | Should -Not -BeNullOrEmpty
        Clear-TestLab
        $env:VDCPS_JOURNAL | Should -BeNullOrEmpty
        $env:VDCPS_PLAN_CATALOG | Should -Be $SampleCatalog
        $env:OS_CLIENT_CONFIG_FILE | Should -Be $LabClouds
        Clear-TestLab
        $env:VDCPS_PLAN_CATALOG | Should -Be 'before-plans.yaml'
        $env:OS_CLIENT_CONFIG_FILE | Should -Be 'before-clouds.yaml'
        [Environment]::GetEnvironmentVariable('VDCPS_JOURNAL') | Should -BeNullOrEmpty
        { Clear-TestLab } | Should -Not -Throw -Because 'nothing left to undo is not an error'
    }
}

Describe 'Initialize-TestLab against the lab' -Tag Lab {
    It 'connects to vdcps-lab as the current context and returns it with -PassThru' {
        Get-VdcContext -ListAvailable | Disconnect-VdcCloud -ErrorAction SilentlyContinue
        try {
            Initialize-TestLab | Should -BeNullOrEmpty
            (Get-VdcContext).Cloud | Should -Be 'vdcps-lab'
            Disconnect-VdcCloud
            $ctx = Initialize-TestLab -NoCatalog -NoJournal -PassThru
            $ctx.Cloud | Should -Be 'vdcps-lab'
            (Get-VdcContext).Name | Should -Be $ctx.Name
        }
        finally {
            Clear-TestLab; Clear-TestLab
            Get-VdcContext -ListAvailable | Disconnect-VdcCloud -ErrorAction SilentlyContinue
        }
    }
}
