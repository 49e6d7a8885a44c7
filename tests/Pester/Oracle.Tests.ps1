#Requires -Version 7.2
<#
.SYNOPSIS
    The tests' oracle: `openstack` through tests/lab/osc-server.py answers as the openstack command does.
.DESCRIPTION
    common.ps1 puts tests/lab/osc-shim first on PATH: its `openstack` runs the CLI's commands in one
    Python process per test process (the imports once, the command itself fresh each time). These cases compare it with the command run as a process,
    and check that a command never inherits an earlier command's identity, project or microversion:
    osc-lib keeps API clients on its ClientManager class, which a long-lived process must forget.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    function Split-OscOutput($Out) {
        # the last command's exit code, its standard output lines and its standard error lines (2>&1 records)
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Out = @($Out | Where-Object { $_ -isnot [Management.Automation.ErrorRecord] } | ForEach-Object { "$_" }); Err = @($Out | Where-Object { $_ -is [Management.Automation.ErrorRecord] } | ForEach-Object { "$_" }) }
    }
    function Invoke-OscProcess {
        # the openstack command itself, as a new process
        $env:OS_CLIENT_CONFIG_FILE = $LabClouds
        $env:VDCPS_OSC_SERVER = '0'
        try { $out = & openstack @args 2>&1 } finally { $env:VDCPS_OSC_SERVER = $null }
        Split-OscOutput $out
    }
    function Invoke-OscServer {
        $env:OS_CLIENT_CONFIG_FILE = $LabClouds
        $out = & openstack @args 2>&1
        Split-OscOutput $out
    }
}

Describe 'The openstack oracle process' -Tag Lab {
    It 'is in use: `openstack` is the shim, a native command' {
        $command = Get-Command openstack
        $command.CommandType | Should -Be 'Application'
        $command.Source | Should -Be (Join-Path $RepoRoot 'tests/lab/osc-shim/openstack')
    }

    It 'gets the arguments as the shell wrote them (a microversion 2.40 stays 2.40)' {
        $env:OS_CLIENT_CONFIG_FILE = $LabClouds
        $debug = & openstack --os-cloud vdcps-lab --debug --os-compute-api-version 2.40 usage list --start 2019-01-01 --end 2019-01-02 2>&1
        $LASTEXITCODE | Should -Be 0
        @($debug | Where-Object { "$_" -match 'OpenStack-API-Version: compute 2\.40\b' }) | Should -Not -BeNullOrEmpty
    }

    It 'prints what the command prints, with its exit code, for a success and a failure, also when a command repeats' {
        # each command twice through the oracle process: quota show makes a compute, a volume and a network
        # client, and the volume plugin's first client changes module state (a second one failed with
        # KeyError '1' in a process that kept it)
        foreach ($argv in @(
                @('--os-cloud', 'vdcps-lab', 'quota', 'show', 'admin', '-f', 'json'),
                @('--os-cloud', 'vdcps-lab', 'volume', 'type', 'list', '-f', 'value', '-c', 'Name'),
                @('--os-cloud', 'vdcps-lab', 'image', 'show', 'vdcps-tiny', '-f', 'value', '-c', 'name', '-c', 'disk_format'),
                @('--os-cloud', 'vdcps-lab', '--os-compute-api-version', '2.73', 'flavor', 'list', '-f', 'value', '-c', 'Name'),
                @('--os-cloud', 'vdcps-lab', 'project', 'show', 'admin', '-f', 'json'),
                @('--os-cloud', 'vdcps-lab', 'project', 'show', 'no-such-project-here'),
                @('--os-cloud', 'vdcps-lab', 'no-such-command'))) {
            $process = Invoke-OscProcess @argv
            foreach ($time in 1, 2) {
                $server = Invoke-OscServer @argv
                $server.ExitCode | Should -Be $process.ExitCode -Because "openstack $argv (time $time)"
                ($server.Out -join "`n") | Should -BeExactly ($process.Out -join "`n") -Because "openstack $argv (time $time)"
                ($server.Err -join "`n") | Should -BeExactly ($process.Err -join "`n") -Because "openstack $argv (time $time)"
            }
        }
    }

    It 'takes array arguments and the caller''s clouds.yaml as the command does' {
        (& openstack --os-cloud vdcps-lab @('project', 'show') admin -f value -c name) | Should -Be 'admin'
        $saved = $env:OS_CLIENT_CONFIG_FILE, $env:OS_CLIENT_SECURE_FILE
        try {
            $clouds = Join-Path $TestDrive 'clouds.yaml'; $secure = Join-Path $TestDrive 'secure.yaml'
            (Get-Content -Raw $LabClouds).Replace('vdcps-lab:', 'oracle-copy:') | Set-Content $clouds
            (Get-Content -Raw (Join-Path $LabDir 'secure.yaml')).Replace('vdcps-lab:', 'oracle-copy:') | Set-Content $secure
            $env:OS_CLIENT_CONFIG_FILE = $clouds; $env:OS_CLIENT_SECURE_FILE = $secure
            (& openstack --os-cloud oracle-copy project show admin -f value -c name) | Should -Be 'admin'
            $env:OS_CLIENT_CONFIG_FILE = $LabClouds; $env:OS_CLIENT_SECURE_FILE = Join-Path $LabDir 'secure.yaml'
            & openstack --os-cloud oracle-copy project show admin 2>$null | Out-Null
            $LASTEXITCODE | Should -Not -Be 0 -Because 'the lab''s own clouds.yaml has no cloud oracle-copy'
        }
        finally { $env:OS_CLIENT_CONFIG_FILE, $env:OS_CLIENT_SECURE_FILE = $saved }
    }

    It 'gives each command its own project scope (no client kept from the command before)' {
        $name = New-TestTenantName 'oracle'
        try {
            $project = Invoke-OpenStack project create $name
            Invoke-OpenStackRaw role add --user admin --project $project.id admin | Out-Null
            # an admin-project network client first, then a command scoped to the new project
            Invoke-OpenStack network list | Out-Null
            $net = & openstack --os-cloud vdcps-lab --os-project-id $project.id network create "net-$name" -f json 2>&1
            $LASTEXITCODE | Should -Be 0 -Because "$net"
            ($net | ConvertFrom-Json).project_id | Should -Be $project.id
        }
        finally {
            & openstack --os-cloud vdcps-lab network delete "net-$name" 2>$null | Out-Null
            Remove-TestProject $name
        }
    }
}
