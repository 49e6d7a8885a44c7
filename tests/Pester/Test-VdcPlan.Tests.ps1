BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Sample = Join-Path $RepoRoot 'examples/plans.yaml'

    $script:dir = Join-Path ([IO.Path]::GetTempPath()) ('vdcps-testplan-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory $dir | Out-Null

    # Four errors and one warning, at known places.
    $script:Broken = Join-Path $dir 'broken.yaml'
    Set-Content $Broken @"
api_version: vdcps/v1
currency: EUR
plans:
  vdc-small:
    prices:
      monthly_fee: -5
      rates:
        cpu-hour: 0.01
    quotas:
      compute:
        cores: {default: 4, min: 10, max: 8}
        floating_ips: 3
      storage:
        volumes: 10
  VDC-SMALL:
    prices: {monthly_fee: 1}
    quotas: {}
"@
    # Only a warning: usable.
    $script:WarningOnly = Join-Path $dir 'warning-only.yaml'
    Set-Content $WarningOnly "api_version: vdcps/v1`ncurrency: EUR`nplans:`n  tiny:`n    prices: {monthly_fee: 5}`n    quotas:`n      compute:`n        ram: {default: 8, min: 4, max: 16}`n"
    $script:NotYaml = Join-Path $dir 'not-yaml.yaml'
    Set-Content $NotYaml "api_version: vdcps/v1`nplans:`n  a: {prices: [1, 2`n"

    $script:savedCatalog = $env:VDCPS_PLAN_CATALOG
    $env:VDCPS_PLAN_CATALOG = $null
}

AfterAll {
    $env:VDCPS_PLAN_CATALOG = $savedCatalog
    Remove-Item -Recurse -Force $dir -ErrorAction SilentlyContinue
}

Describe 'Test-VdcPlan parameter contract' -Tag Unit {
    It 'takes catalog paths (wildcards allowed) at position 0, by value and by property name' {
        $p = (Get-Command Test-VdcPlan).Parameters.CatalogPath
        $p.ParameterType | Should -Be ([string[]])
        $p.Aliases | Should -Contain 'Path'
        $p.Attributes.TypeId.Name | Should -Contain 'SupportsWildcardsAttribute'
        $set = $p.ParameterSets['Path']
        $set.Position | Should -Be 0
        $set.ValueFromPipeline | Should -BeTrue
        $set.ValueFromPipelineByPropertyName | Should -BeTrue
        (Get-Command Test-VdcPlan).DefaultParameterSet | Should -Be 'Path'
    }

    It 'takes literal paths in their own set, where file objects bind (PSPath, FullName)' {
        $p = (Get-Command Test-VdcPlan).Parameters.LiteralPath
        $p.ParameterType | Should -Be ([string[]])
        $p.Aliases | Should -Be @('PSPath', 'LP', 'FullName')
        $p.ParameterSets['LiteralPath'].IsMandatory | Should -BeTrue
        $p.ParameterSets['LiteralPath'].ValueFromPipelineByPropertyName | Should -BeTrue
    }

    It 'has exactly the parameters CatalogPath, LiteralPath, Quiet, Context and declares its outputs' {
        $common = [System.Management.Automation.Cmdlet]::CommonParameters
        $names = (Get-Command Test-VdcPlan).Parameters.Keys | Where-Object { $_ -notin $common }
        Compare-Object @($names) @('CatalogPath', 'LiteralPath', 'Quiet', 'Context') | Should -BeNullOrEmpty
        (Get-Command Test-VdcPlan).Parameters.Quiet.SwitchParameter | Should -BeTrue
        (Get-Command Test-VdcPlan).OutputType.Name | Should -Be @('VdcPS.Models.VdcPlanProblem', 'System.Boolean')
    }
}

Describe 'Test-VdcPlan' -Tag Unit {
    It 'finds no problem in the sample catalog' {
        Test-VdcPlan $Sample | Should -BeNullOrEmpty
        Test-VdcPlan $Sample -Quiet | Should -BeTrue
    }

    It 'reports every problem of a broken catalog with its line and column, in file order' {
        $problems = Test-VdcPlan -CatalogPath $Broken
        $problems[0] | Should -BeOfType ([VdcPS.Models.VdcPlanProblem])
        $problems | ForEach-Object { "$($_.Line):$($_.Column):$($_.Severity):$($_.Rule)" } | Should -Be @(
            '6:20:Error:NegativePrice'
            '8:9:Error:UnknownRateUnit'
            '11:34:Error:MinGreaterThanMax'
            '12:9:Warning:RemovedResource'
            '13:7:Error:UnknownService'
            '15:3:Error:DuplicatePlan'
        )
        $problems | ForEach-Object File | Sort-Object -Unique | Should -Be $Broken
        $problems[0].Plan | Should -Be 'vdc-small'
        $problems[0].Setting | Should -Be 'plans.vdc-small.prices.monthly_fee'
        $problems[1].Message | Should -Match "Did you mean 'vcpu-hour'"
        $problems[4].Message | Should -Match 'compute, block-storage, network'
        $problems[5].Message | Should -Match 'line 4'
        "$($problems[2])" | Should -Be "${Broken}:11:34: error: $($problems[2].Message)"
    }

    It 'reports broken YAML at its line' {
        $p = @(Test-VdcPlan $NotYaml)
        $p.Count | Should -Be 1
        $p[0].Rule | Should -Be 'YamlSyntax'
        $p[0].Line | Should -Be 3
        $p[0].Column | Should -Be 15
        $p[0].Message | Should -Match "'\[' here is never closed"
    }

    It '-Quiet returns $false for errors and $true when there are only warnings' {
        Test-VdcPlan $Broken -Quiet | Should -BeFalse
        Test-VdcPlan $NotYaml -Quiet | Should -BeFalse
        Test-VdcPlan $WarningOnly -Quiet | Should -BeTrue
        $w = Test-VdcPlan $WarningOnly
        $w.Severity | Should -Be 'Warning'
        $w.Rule | Should -Be 'SuspiciousRam'
        $w.Line | Should -Be 8
    }

    It 'writes a non-terminating PlanCatalogNotFound for a missing file, and -Quiet says $false without an error' {
        $missing = Join-Path $dir 'missing.yaml'
        $out = Test-VdcPlan $missing, $Sample -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PlanCatalogNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'

        $quiet = Test-VdcPlan $missing -Quiet -ErrorVariable err2
        $quiet | Should -BeFalse
        $err2 | Should -BeNullOrEmpty
    }

    It 'checks every catalog piped from Get-ChildItem, and the problems export to CSV' {
        $csv = Join-Path $dir 'problems.csv'
        Get-ChildItem $dir -Filter *.yaml | Test-VdcPlan | Export-Csv -Path $csv -NoTypeInformation
        $rows = Import-Csv $csv
        ($rows.File | Sort-Object -Unique) | Should -Be @($Broken, $NotYaml, $WarningOnly)
        $rows.Count | Should -Be 8
        (Get-Content $csv -First 1) | Should -Be '"Severity","File","Line","Column","Plan","Setting","Rule","Message"'
        Get-ChildItem $dir -Filter *.yaml | Test-VdcPlan -Quiet | Should -Be @($false, $false, $true)
    }

    It 'Get-ChildItem *.yaml | Test-VdcPlan shows which file each problem is in (a File: header per catalog)' {
        Push-Location $dir
        try {
            $text = Get-ChildItem *.yaml | Test-VdcPlan | Out-String -Width 80
            $wide = Get-ChildItem *.yaml | Test-VdcPlan | Out-String -Width 400
        }
        finally { Pop-Location }
        foreach ($file in $Broken, $NotYaml, $WarningOnly) {
            $text | Should -Match ('File: ' + [regex]::Escape($file))
        }
        # each problem is under its own file's header
        $parts = ($wide -split 'File: ')[1..3]
        ($parts | Where-Object { $_.StartsWith($Broken) }) | Should -Match 'monthly fee'
        ($parts | Where-Object { $_.StartsWith($NotYaml) }) | Should -Match 'not valid YAML'
        ($parts | Where-Object { $_.StartsWith($NotYaml) }) | Should -Not -Match 'monthly fee'
    }

    It '-Path with a wildcard checks every matching catalog, in name order (Test-VdcPlan -Path ./plans/*.yaml)' {
        Test-VdcPlan -Path (Join-Path $dir '*.yaml') -Quiet | Should -Be @($false, $false, $true)   # broken, not-yaml, warning-only
        $problems = Test-VdcPlan -Path (Join-Path $dir '*.yaml')
        ($problems.File | Select-Object -Unique) | Should -Be @($Broken, $NotYaml, $WarningOnly)
        Push-Location $dir
        try { Test-VdcPlan ./warn*.yaml -Quiet | Should -Be @($true) }
        finally { Pop-Location }
    }

    It '-Path with a wildcard that matches nothing is PlanCatalogNotFound; -Quiet says $false' {
        $r = Test-VdcPlan -Path (Join-Path $dir 'nothing-*.yaml') -ErrorVariable err -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PlanCatalogNotFound,*'
        $err[0].Exception.Message | Should -BeLike "No plan catalog file matches '*nothing-`*.yaml'."
        Test-VdcPlan -Path (Join-Path $dir 'no-folder/*.yaml') -Quiet -ErrorAction SilentlyContinue | Should -Be @($false)
    }

    It 'a file name with [ ] is taken literally by -LiteralPath, by -Path when the file exists, and from Get-ChildItem' {
        $odd = Join-Path $dir 'plans[1].yaml'
        Copy-Item -LiteralPath $Broken -Destination $odd
        try {
            Test-VdcPlan -LiteralPath $odd -Quiet | Should -BeFalse
            (Test-VdcPlan -LiteralPath $odd).File | Select-Object -Unique | Should -Be $odd
            Test-VdcPlan -Path $odd -Quiet | Should -BeFalse
            (Get-Item -LiteralPath $odd | Test-VdcPlan).File | Select-Object -Unique | Should -Be $odd
            $r = Test-VdcPlan -LiteralPath (Join-Path $dir 'plans[2].yaml') -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'PlanCatalogNotFound,*'
        }
        finally { Remove-Item -LiteralPath $odd }
    }

    It 'takes -Path as the catalog path' {
        (Get-Command Test-VdcPlan).Parameters.CatalogPath.Aliases | Should -Contain 'Path'
        Test-VdcPlan -Path $WarningOnly -Quiet | Should -BeTrue
        [pscustomobject]@{ Path = $Broken } | Test-VdcPlan -Quiet | Should -BeFalse
    }

    It 'checks one catalog once when Get-VdcPlan pipes its plans' {
        (Get-VdcPlan -CatalogPath $WarningOnly -WarningAction SilentlyContinue | Test-VdcPlan -Quiet) | Should -Be @($true)
        @(Get-VdcPlan -CatalogPath $Sample | Test-VdcPlan -Quiet) | Should -Be @($true)
    }

    It 'without a path, checks the catalog found by the location rule ($env:VDCPS_PLAN_CATALOG)' {
        $env:VDCPS_PLAN_CATALOG = $Broken
        try {
            (Test-VdcPlan).Count | Should -Be 6
            Test-VdcPlan -Quiet | Should -BeFalse
            $verbose = Test-VdcPlan -Quiet -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            $verbose[0].Message | Should -Match 'VDCPS_PLAN_CATALOG'
        }
        finally { $env:VDCPS_PLAN_CATALOG = $null }
    }

    It 'resolves relative paths against the current location' {
        Push-Location $dir
        try { (Test-VdcPlan ./broken.yaml)[0].File | Should -Be $Broken }
        finally { Pop-Location }
    }
}
