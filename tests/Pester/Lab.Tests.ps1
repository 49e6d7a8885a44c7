#Requires -Version 7.2
<#
.SYNOPSIS
    Checks the local OpenStack lab (tests/lab/lab.sh) that the integration tests run against.
.DESCRIPTION
    Needs a running lab: tests/lab/lab.sh start. The lab folder is $env:VDCPS_LAB_DIR or <repo>/.lab.
    Runs tests/lab/verify.sh, drives the openstack CLI with the lab's clouds.yaml and compares a
    seeded month of Nova usage with the totals that tests/lab/seed-usage.py computes on its own.
    Everything it seeds is removed again in AfterAll.
#>

Describe 'Lab' -Tag Lab {
    BeforeAll {
        $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..' '..')).Path
        $script:LabScripts = Join-Path $RepoRoot 'tests' 'lab'
        $script:LabDir = if ($env:VDCPS_LAB_DIR) { $env:VDCPS_LAB_DIR } else { Join-Path $RepoRoot '.lab' }
        # Debian's python: the python3 on PATH may be a pyenv shim. The seeder needs only the stdlib.
        $script:Python = '/usr/bin/python3'
        $script:SeededProjects = @()

        $clouds = Join-Path $LabDir 'clouds.yaml'
        if (-not (Test-Path $clouds)) {
            throw "The lab is not set up ($clouds is missing): run tests/lab/lab.sh start"
        }
        if (-not (Get-Command openstack -ErrorAction SilentlyContinue)) {
            throw 'The openstack CLI is missing: tests/lab/lab.sh start installs python3-openstackclient'
        }
        $script:SavedEnv = @{}
        foreach ($name in 'OS_CLIENT_CONFIG_FILE', 'OS_CLIENT_SECURE_FILE', 'OS_CLOUD') {
            $SavedEnv[$name] = [Environment]::GetEnvironmentVariable($name)
        }
        $env:OS_CLIENT_CONFIG_FILE = $clouds
        $env:OS_CLIENT_SECURE_FILE = Join-Path $LabDir 'secure.yaml'
        $env:OS_CLOUD = $null

        # Runs a native command; returns stdout as one string, throws with stderr on a non-zero exit.
        function Invoke-Native {
            param([Parameter(Mandatory)] [string] $FilePath, [string[]] $ArgumentList = @())
            $errFile = [IO.Path]::GetTempFileName()
            try {
                $out = & $FilePath @ArgumentList 2> $errFile
                $code = $LASTEXITCODE
                $stdout = ($out | Out-String)
                if ($code -ne 0) {
                    $stderr = Get-Content -Raw -Path $errFile
                    throw "$FilePath $($ArgumentList -join ' ') exited with $code`n$stdout`n$stderr"
                }
                return $stdout
            }
            finally {
                Remove-Item -Path $errFile -ErrorAction SilentlyContinue
            }
        }

        function Invoke-OpenStackJson {
            param([Parameter(Mandatory)] [string[]] $ArgumentList)
            $json = Invoke-Native -FilePath 'openstack' -ArgumentList ($ArgumentList + @('-f', 'json'))
            return , ($json | ConvertFrom-Json -NoEnumerate)
        }
    }

    AfterAll {
        if ($script:SeededProjects.Count -gt 0) {
            Invoke-Native -FilePath $Python -ArgumentList @(
                (Join-Path $LabScripts 'seed-usage.py'), '--lab', $LabDir,
                '--clear-project', ($SeededProjects -join ',')) | Out-Null
        }
        foreach ($name in $SavedEnv.Keys) {
            [Environment]::SetEnvironmentVariable($name, $SavedEnv[$name])
        }
    }

    It 'passes the curl smoke test (verify.sh)' {
        $output = & bash (Join-Path $LabScripts 'verify.sh') 2>&1
        $LASTEXITCODE | Should -Be 0 -Because ($output -join [Environment]::NewLine)
    }

    It 'lists projects through the openstack CLI (cloud vdcps-lab)' {
        $projects = Invoke-OpenStackJson @('--os-cloud', 'vdcps-lab', 'project', 'list')
        $projects.Name | Should -Contain 'admin'
        $projects.Name | Should -Contain 'service'
    }

    It 'authenticates system-scoped (cloud vdcps-lab-system)' {
        $projects = Invoke-OpenStackJson @('--os-cloud', 'vdcps-lab-system', 'project', 'list')
        $projects.Name | Should -Contain 'admin'
    }

    It 'reports a seeded month of usage with the expected hours (usage list, microversion 2.40)' {
        $now = [DateTime]::UtcNow
        $monthStart = [DateTime]::new($now.Year, $now.Month, 1, 0, 0, 0, [DateTimeKind]::Utc).AddMonths(-1)
        $monthEnd = $monthStart.AddMonths(1)
        $month = $monthStart.ToString('yyyy-MM', [Globalization.CultureInfo]::InvariantCulture)

        # 1,500 instances: more than one page of 1,000 (older microversions silently stop there).
        $seedOutput = Invoke-Native -FilePath $Python -ArgumentList @(
            (Join-Path $LabScripts 'seed-usage.py'), '--lab', $LabDir,
            '--generate', '1500', '--projects', '40', '--month', $month, '--seed', '4711')
        $expected = $seedOutput | ConvertFrom-Json -AsHashtable
        $script:SeededProjects = @($expected.project_ids)
        $expected.instances | Should -Be 1500

        $rows = Invoke-OpenStackJson @('--os-cloud', 'vdcps-lab', '--os-compute-api-version', '2.40',
            'usage', 'list',
            '--start', $monthStart.ToString('yyyy-MM-dd'), '--end', $monthEnd.ToString('yyyy-MM-dd'))

        # A project whose instances span two pages appears in two rows: add them up.
        $names = $expected.project_names
        $actual = @{}
        foreach ($row in $rows) {
            $id = $row.Project
            foreach ($pair in $names.GetEnumerator()) { if ($pair.Value -eq $id) { $id = $pair.Key } }
            if (-not $actual.ContainsKey($id)) {
                $actual[$id] = @{ servers = 0; instance_hours = 0.0; vcpu_hours = 0.0; ram_mb_hours = 0.0; disk_gb_hours = 0.0 }
            }
            $a = $actual[$id]
            # -f json gives the server usages as a list (the table format shows their count)
            if ($row.Servers -is [System.Collections.IEnumerable] -and $row.Servers -isnot [string]) {
                $servers = @($row.Servers)
                $a.servers += $servers.Count
                $a.instance_hours += ($servers | Measure-Object -Property hours -Sum).Sum
            }
            else {
                $a.servers += [int]$row.Servers
                $a.instance_hours = $null
            }
            $a.vcpu_hours += [double]$row.'CPU Hours'
            $a.ram_mb_hours += [double]$row.'RAM MB-Hours'
            $a.disk_gb_hours += [double]$row.'Disk GB-Hours'
        }

        $mismatches = [Collections.Generic.List[string]]::new()
        foreach ($projectId in $expected.by_project.Keys) {
            $want = $expected.by_project[$projectId]
            if (-not $actual.ContainsKey($projectId)) { $mismatches.Add("$projectId missing from usage list"); continue }
            $got = $actual[$projectId]
            if ($got.servers -ne $want.servers) { $mismatches.Add("$projectId servers $($got.servers) <> $($want.servers)") }
            foreach ($key in 'vcpu_hours', 'ram_mb_hours', 'disk_gb_hours', 'instance_hours') {
                if ($null -eq $got[$key]) { continue }
                # the CLI rounds to 2 decimals
                if ([Math]::Abs($got[$key] - $want[$key]) -gt 0.01) {
                    $mismatches.Add("$projectId $key $($got[$key]) <> $($want[$key])")
                }
            }
        }
        $mismatches | Should -BeNullOrEmpty
        $expected.by_project.Count | Should -BeGreaterThan 0
        $totalVcpuHours = ($expected.by_project.Values | ForEach-Object { $_.vcpu_hours } | Measure-Object -Sum).Sum
        $seen = ($expected.by_project.Keys | ForEach-Object { $actual[$_].vcpu_hours } | Measure-Object -Sum).Sum
        $seen | Should -BeGreaterOrEqual ($totalVcpuHours - 0.5)
    }

    It 'removes the seeded usage again' {
        $SeededProjects.Count | Should -BeGreaterThan 0
        $cleared = Invoke-Native -FilePath $Python -ArgumentList @(
            (Join-Path $LabScripts 'seed-usage.py'), '--lab', $LabDir,
            '--clear-project', ($SeededProjects -join ',')) | ConvertFrom-Json
        $cleared.cleared.nova_instances | Should -Be 1500
        $script:SeededProjects = @()
    }
}
