BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $script:Sample = Join-Path $RepoRoot 'examples/plans.yaml'

    function New-TempDir {
        $dir = Join-Path ([IO.Path]::GetTempPath()) ('vdcps-plan-' + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory $dir | Out-Null
        return $dir
    }

    # Every test runs with a clean location rule: no VDCPS_PLAN_CATALOG and a HOME of our own, so
    # the machine's ~/.config/vdcps/plans.yaml can never leak in.
    function Enter-CleanPlanEnvironment {
        $script:savedCatalog = $env:VDCPS_PLAN_CATALOG
        $script:savedHome = $env:HOME
        $script:tempHome = New-TempDir
        $env:VDCPS_PLAN_CATALOG = $null
        $env:HOME = $tempHome
    }
    function Exit-CleanPlanEnvironment {
        $env:VDCPS_PLAN_CATALOG = $savedCatalog
        $env:HOME = $savedHome
        Remove-Item -Recurse -Force $tempHome -ErrorAction SilentlyContinue
    }

    function Get-Completion([string] $Line) {
        [System.Management.Automation.CommandCompletion]::CompleteInput($Line, $Line.Length, $null).CompletionMatches.CompletionText
    }
}

Describe 'Get-VdcPlan parameter contract' -Tag Unit {
    It 'has the Plan (default) and Quota parameter sets' {
        $command = Get-Command Get-VdcPlan
        $command.ParameterSets.Name | Sort-Object | Should -Be @('Plan', 'Quota')
        $command.DefaultParameterSet | Should -Be 'Plan'
        $command.Parameters.Quota.ParameterSets.Quota.IsMandatory | Should -BeTrue
    }

    It 'takes -Name at position 0, with wildcards and by property name; -Plan by property name; -Path for the catalog' {
        $p = (Get-Command Get-VdcPlan).Parameters.Name
        $p.ParameterType | Should -Be ([string[]])
        $p.ParameterSets.Values[0].Position | Should -Be 0
        $p.ParameterSets.Values[0].ValueFromPipelineByPropertyName | Should -BeTrue
        $p.Attributes.Where({ $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }) | Should -Not -BeNullOrEmpty
        $plan = (Get-Command Get-VdcPlan).Parameters.Plan
        $plan.ParameterType | Should -Be ([string[]])
        $plan.ParameterSets.Values[0].ValueFromPipelineByPropertyName | Should -BeTrue
        (Get-Command Get-VdcPlan).Parameters.CatalogPath.Aliases | Should -Contain 'Path'
    }

    It 'has exactly the parameters Name, Plan, Quota, CatalogPath, Context' {
        $common = [System.Management.Automation.Cmdlet]::CommonParameters
        $names = (Get-Command Get-VdcPlan).Parameters.Keys | Where-Object { $_ -notin $common }
        Compare-Object @($names) @('Name', 'Plan', 'Quota', 'CatalogPath', 'Context') | Should -BeNullOrEmpty
    }

    It 'declares VdcPlan and VdcPlanQuota as output types' {
        (Get-Command Get-VdcPlan).OutputType.Name | Should -Be @('VdcPS.Models.VdcPlan', 'VdcPS.Models.VdcPlanQuota')
    }
}

Describe 'Get-VdcPlan with the sample catalog' -Tag Unit {
    BeforeAll { Enter-CleanPlanEnvironment }
    AfterAll { Exit-CleanPlanEnvironment }

    It 'lists the four sample plans in file order' {
        $plans = Get-VdcPlan -CatalogPath $Sample
        $plans.Name | Should -Be @('vdc-small', 'vdc-medium', 'vdc-large', 'vdc-payg', 'vdc-flex')
        $plans[0] | Should -BeOfType ([VdcPS.Models.VdcPlan])
    }

    It 'returns exact money values, the currency, the role and summaries' {
        $small = Get-VdcPlan vdc-small -CatalogPath $Sample
        $small.MonthlyFee | Should -BeOfType ([decimal])
        $small.MonthlyFee | Should -Be 149.00
        $small.SetupFee | Should -Be 99.00
        $small.Currency | Should -Be 'EUR'
        $small.Role | Should -Be 'member'
        $small.DisplayName | Should -Be 'VDC Small'
        $small.ProfessionalServices | Should -Be 'Onboarding call (1 h, 120.00)'
        $small.ProfessionalServicesAmount | Should -Be 120.00
        $small.Rates | Should -Be 'volume-gb-hour=0.00014; floating-ip-hour=0.0055'
        $small.QuotaCount | Should -Be 17
        $small.CatalogPath | Should -Be (Resolve-Path $Sample).Path
        $payg = Get-VdcPlan vdc-payg -CatalogPath $Sample
        $payg.MonthlyFee | Should -Be 0
        $payg.RateCount | Should -Be 6
    }

    It 'matches names with wildcards and without regard to case' {
        (Get-VdcPlan 'vdc-*' -CatalogPath $Sample).Count | Should -Be 5
        (Get-VdcPlan '*e*' -CatalogPath $Sample).Name | Should -Be @('vdc-medium', 'vdc-large', 'vdc-flex')
        (Get-VdcPlan 'VDC-LARGE' -CatalogPath $Sample).Name | Should -Be 'vdc-large'
        (Get-VdcPlan 'vdc-small', 'vdc-l*' -CatalogPath $Sample).Name | Should -Be @('vdc-small', 'vdc-large')
    }

    It 'writes a non-terminating PlanNotFound for a name without wildcards and goes on' {
        $plans = Get-VdcPlan 'vdc-small', 'vdc-huge' -CatalogPath $Sample -ErrorVariable err -ErrorAction SilentlyContinue
        $plans.Name | Should -Be 'vdc-small'
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PlanNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be 'vdc-huge'
        $err[0].Exception.Message | Should -Match 'vdc-small, vdc-medium'
    }

    It 'writes no error when a wildcard matches nothing' {
        Get-VdcPlan 'gold*' -CatalogPath $Sample -ErrorVariable err | Should -BeNullOrEmpty
        $err | Should -BeNullOrEmpty
    }

    It 'takes plan names from the pipeline by property name (Plan or Name)' {
        ([pscustomobject]@{ Plan = 'vdc-large' }, [pscustomobject]@{ Name = 'vdc-payg' } | Get-VdcPlan -CatalogPath $Sample).Name |
            Should -Be @('vdc-large', 'vdc-payg')
        (Get-VdcPlan vdc-medium -Quota -CatalogPath $Sample | Select-Object -First 1 | Get-VdcPlan -CatalogPath $Sample).Name | Should -Be 'vdc-medium'
    }

    It 'takes the Plan of an object that has a Name too (a tenant, a CSV row), and its Name only without a Plan' {
        $rows = [pscustomobject]@{ Name = 'acme-prod'; Plan = 'vdc-large' }, [pscustomobject]@{ Name = 'vdc-payg' }, [pscustomobject]@{ Name = 'globex'; Plan = 'vdc-small' }
        ($rows | Get-VdcPlan -Path $Sample -ErrorVariable err).Name | Should -Be @('vdc-large', 'vdc-payg', 'vdc-small')
        $err | Should -BeNullOrEmpty
        $tenant = [VdcPS.Models.VdcTenant]@{ Name = 'acme-prod'; Plan = 'vdc-medium' }
        ($tenant | Get-VdcPlan -CatalogPath $Sample).Name | Should -Be 'vdc-medium'
        @($tenant | Get-VdcPlan -Quota -CatalogPath $Sample).Plan | Sort-Object -Unique | Should -Be 'vdc-medium'
    }

    It 'a piped object with an empty Plan (an unmanaged project) is PlanNotFound, not a plan named after it' {
        $out = [VdcPS.Models.VdcTenant]@{ Name = 'vdc-small'; Plan = '' } | Get-VdcPlan -CatalogPath $Sample -ErrorVariable err -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'PlanNotFound,VdcPS.Commands.GetVdcPlanCommand'
    }

    It '-Quota returns one row per plan and resource, -1 for unlimited with IsUnlimited flags' {
        $rows = Get-VdcPlan -Quota -CatalogPath $Sample
        $rows.Count | Should -Be 83
        $rows[0] | Should -BeOfType ([VdcPS.Models.VdcPlanQuota])
        $cores = $rows | Where-Object { $_.Plan -eq 'vdc-small' -and $_.Resource -eq 'cores' }
        $cores.Service | Should -Be 'compute'
        $cores.Unit | Should -Be 'count'
        $cores.Default, $cores.Min, $cores.Max | Should -Be @(4, 2, 8)
        $ram = $rows | Where-Object { $_.Plan -eq 'vdc-small' -and $_.Resource -eq 'ram' }
        $ram.Unit | Should -Be 'MB'
        $unlimited = $rows | Where-Object { $_.Plan -eq 'vdc-large' -and $_.Resource -eq 'security_group_rule' }
        $unlimited.Max | Should -Be -1
        $unlimited.MaxIsUnlimited | Should -BeTrue
        $unlimited.DefaultIsUnlimited | Should -BeFalse
        ($rows | Where-Object MaxIsUnlimited).Count | Should -Be 1
        ($rows.Service | Sort-Object -Unique) | Should -Be @('block-storage', 'compute', 'network')
        ($rows | Where-Object Resource -Like '*_ssd') | Should -BeNullOrEmpty
        $flexRam = $rows | Where-Object { $_.Plan -eq 'vdc-flex' -and $_.Resource -eq 'ram' }
        $flexRam.AllocationIncluded, $flexRam.AllocationPer, $flexRam.AllocationPrice | Should -Be @(8192, 1024, 4.00)
        $cores.AllocationPrice | Should -BeNullOrEmpty
    }

    It '-Quota rows export to CSV with identical columns on every row' {
        $csv = Join-Path $tempHome 'quotas.csv'
        Get-VdcPlan -Quota -CatalogPath $Sample | Export-Csv -Path $csv -NoTypeInformation
        $lines = Get-Content $csv
        $lines.Count | Should -Be 84
        $header = $lines[0]
        $header | Should -Be '"Plan","Service","Resource","Unit","Default","Min","Max","DefaultIsUnlimited","MaxIsUnlimited","Description","AllocationIncluded","AllocationPer","AllocationPrice","CatalogPath"'
        $back = Import-Csv $csv
        $back | ForEach-Object { @($_.PSObject.Properties).Count } | Sort-Object -Unique | Should -Be 14
        ($back | Where-Object { $_.Plan -eq 'vdc-large' -and $_.Resource -eq 'security_group_rule' }).Max | Should -Be '-1'
        ($back | Where-Object { $_.Plan -eq 'vdc-large' -and $_.Resource -eq 'security_group_rule' }).MaxIsUnlimited | Should -Be 'True'
    }

    It 'plans export to CSV as flat rows with invariant decimals' {
        $csv = Join-Path $tempHome 'plans.csv'
        Get-VdcPlan -CatalogPath $Sample | Export-Csv -Path $csv -NoTypeInformation
        $back = Import-Csv $csv
        $back.Count | Should -Be 5
        $back[0].MonthlyFee | Should -Be '149.00'
        $back[3].Rates | Should -Match '^vcpu-hour=0\.0125; ram-gb-hour=0\.0055'
    }

    It 'formats quota rows for people with "unlimited"' {
        $text = Get-VdcPlan vdc-large -Quota -CatalogPath $Sample | Out-String -Width 200
        $text | Should -Match 'security_group_rule\s.*\s200\s+unlimited'
    }
}

Describe 'Get-VdcPlan catalog location and errors' -Tag Unit {
    BeforeEach { Enter-CleanPlanEnvironment }
    AfterEach { Exit-CleanPlanEnvironment }

    It 'reads the catalog named by $env:VDCPS_PLAN_CATALOG' {
        $env:VDCPS_PLAN_CATALOG = $Sample
        (Get-VdcPlan).Count | Should -Be 5
        (Get-VdcPlan -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message |
            Should -Match 'from \$env:VDCPS_PLAN_CATALOG'
    }

    It 'lets -CatalogPath win over $env:VDCPS_PLAN_CATALOG' {
        $broken = Join-Path $tempHome 'broken.yaml'
        Set-Content $broken 'api_version: vdcps/v1'
        $env:VDCPS_PLAN_CATALOG = $broken
        (Get-VdcPlan -CatalogPath $Sample).Count | Should -Be 5
    }

    It 'resolves a relative -CatalogPath against the current location' {
        Push-Location (Split-Path $Sample)
        try { (Get-VdcPlan -CatalogPath ./plans.yaml).Count | Should -Be 5 }
        finally { Pop-Location }
    }

    It 'falls back to ~/.config/vdcps/plans.yaml' {
        New-Item -ItemType Directory (Join-Path $tempHome '.config/vdcps') | Out-Null
        Copy-Item $Sample (Join-Path $tempHome '.config/vdcps/plans.yaml')
        (Get-VdcPlan).Count | Should -Be 5
    }

    It 'does not fall through when $env:VDCPS_PLAN_CATALOG names a missing file' {
        New-Item -ItemType Directory (Join-Path $tempHome '.config/vdcps') | Out-Null
        Copy-Item $Sample (Join-Path $tempHome '.config/vdcps/plans.yaml')
        $env:VDCPS_PLAN_CATALOG = Join-Path $tempHome 'typo.yaml'
        $e = { Get-VdcPlan } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'PlanCatalogNotFound,*'
        $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $e.Exception.Message | Should -Match 'VDCPS_PLAN_CATALOG'
        $e.Exception.Message | Should -Match 'typo\.yaml'
    }

    It 'names every place searched when there is no catalog' {
        $e = { Get-VdcPlan } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'PlanCatalogNotFound,*'
        $e.Exception.Reason | Should -Be 'NotFound'
        $e.Exception.Message | Should -Match '-CatalogPath: not set'
        $e.Exception.Message | Should -Match '\$env:VDCPS_PLAN_CATALOG: not set'
        $e.Exception.Message | Should -Match 'vdcps_plan_catalog'
        $e.Exception.Message | Should -Match ([regex]::Escape('.config/vdcps/plans.yaml'))
    }

    It 'stops with PlanCatalogInvalid listing every problem with file:line:column' {
        $bad = Join-Path $tempHome 'bad.yaml'
        Set-Content $bad @"
api_version: vdcps/v1
currency: EURO
plans:
  small:
    prices: {monthly_fee: -1}
    quotas:
      compute:
        cores: {default: 4, min: 10, max: 8}
"@
        $e = { Get-VdcPlan -CatalogPath $bad } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -BeLike 'PlanCatalogInvalid,*'
        $e.CategoryInfo.Category | Should -Be 'InvalidData'
        $e.Exception | Should -BeOfType ([VdcPS.PlanCatalogException])
        $e.Exception.Problems.Count | Should -Be 3
        $e.Exception.Line | Should -Be 2
        $e.Exception.Message | Should -Match ([regex]::Escape("${bad}:2:11: error"))
        $e.Exception.Message | Should -Match ([regex]::Escape("${bad}:5:27: error"))
        $e.Exception.Message | Should -Match ([regex]::Escape("${bad}:8:34: error"))
        $e.Exception.Message | Should -Match 'minimum \(10\)'
    }

    It 'writes the catalog''s warnings to the warning stream and still returns the plans' {
        $warn = Join-Path $tempHome 'warn.yaml'
        Set-Content $warn "api_version: vdcps/v1`ncurrency: EUR`nplans:`n  old:`n    prices: {monthly_fee: 10}`n    quotas:`n      compute:`n        floating_ips: 5`n"
        $plans = Get-VdcPlan -CatalogPath $warn -WarningVariable warnings -WarningAction SilentlyContinue
        $plans.Name | Should -Be 'old'
        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -Match 'warn\.yaml:8:9: warning: .*2\.36'
    }
}

Describe 'Get-VdcPlan tab completion' -Tag Unit {
    BeforeAll { Enter-CleanPlanEnvironment }
    AfterAll { Exit-CleanPlanEnvironment }

    It 'completes plan names from the catalog named by -CatalogPath' {
        Get-Completion "Get-VdcPlan -CatalogPath '$Sample' -Name vdc-m" | Should -Be @('vdc-medium')
    }

    It 'completes plan names from $env:VDCPS_PLAN_CATALOG, sorted' {
        $env:VDCPS_PLAN_CATALOG = $Sample
        try { Get-Completion 'Get-VdcPlan vdc-' | Should -Be @('vdc-flex', 'vdc-large', 'vdc-medium', 'vdc-payg', 'vdc-small') }
        finally { $env:VDCPS_PLAN_CATALOG = $null }
    }

    It 'completes nothing, and throws nothing, without a usable catalog' {
        Get-Completion 'Get-VdcPlan -Name vdc' | Should -BeNullOrEmpty
        $env:VDCPS_PLAN_CATALOG = Join-Path $tempHome 'nope.yaml'
        try { Get-Completion 'Get-VdcPlan -Name vdc' | Should -BeNullOrEmpty }
        finally { $env:VDCPS_PLAN_CATALOG = $null }
    }
}

Describe 'Get-VdcPlan with a cloud that names its catalog' -Tag Lab {
    BeforeAll {
        Enter-CleanPlanEnvironment
        $script:cloudDir = New-TempDir
        New-Item -ItemType Directory (Join-Path $cloudDir 'catalogs') | Out-Null
        Copy-Item $Sample (Join-Path $cloudDir 'catalogs/plans.yaml')
        # The lab's cloud, plus a relative vdcps_plan_catalog: relative to this clouds.yaml's folder.
        $clouds = (Get-Content -Raw $LabClouds) -replace '(?m)^(  vdcps-lab:\r?\n(?:    .*\r?\n)+)', "`$1    vdcps_plan_catalog: catalogs/plans.yaml`n"
        Set-Content (Join-Path $cloudDir 'clouds.yaml') $clouds
        $script:savedClouds = $env:OS_CLIENT_CONFIG_FILE
        $env:OS_CLIENT_CONFIG_FILE = Join-Path $cloudDir 'clouds.yaml'
        $script:ctx = Connect-VdcCloud -Cloud vdcps-lab -Name plan-catalog-test -NoSetCurrent
    }
    AfterAll {
        $ctx | Disconnect-VdcCloud -ErrorAction SilentlyContinue
        $env:OS_CLIENT_CONFIG_FILE = $savedClouds
        Remove-Item -Recurse -Force $cloudDir -ErrorAction SilentlyContinue
        Exit-CleanPlanEnvironment
    }

    It 'reads the catalog of the -Context cloud, relative to its clouds.yaml' {
        $plans = Get-VdcPlan -Context $ctx
        $plans.Count | Should -Be 5
        $plans[0].CatalogPath | Should -Be (Join-Path $cloudDir 'catalogs/plans.yaml')
    }

    It 'lets $env:VDCPS_PLAN_CATALOG win over the cloud''s catalog' {
        $other = Join-Path $cloudDir 'other.yaml'
        Set-Content $other "api_version: vdcps/v1`ncurrency: CHF`nplans:`n  only:`n    prices: {monthly_fee: 1}`n    quotas: {compute: {cores: 1}}`n"
        $env:VDCPS_PLAN_CATALOG = $other
        try { (Get-VdcPlan -Context $ctx).Name | Should -Be 'only' }
        finally { $env:VDCPS_PLAN_CATALOG = $null }
    }
}
