#Requires -Version 7.2
<#
.SYNOPSIS
    Graded suspension with real servers: Suspend-VdcTenant -Mode Access, Stop and Shelve, and
    Resume-VdcTenant undoing exactly what each did, checked with the openstack CLI.
.DESCRIPTION
    One tenant with two real (fake-driver) servers booted without a network: "run" is ACTIVE,
    "off" was stopped by its owner before any suspension. A suspension may only touch what it
    needs to, and a resumption may only undo what its suspension did: "off" must come back
    stopped every time. Each state is read as admin with the CLI at microversion 2.73 (locked and
    locked_reason), the project and the user with `openstack project show` / `user show`.
#>

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    Initialize-TestLab -NoJournal
}
AfterAll { Clear-TestLab }

Describe 'Suspend-VdcTenant -Mode and Resume-VdcTenant with real servers' -Tag Lab {
    BeforeAll {
        $script:t = New-VdcTenant -Name (New-TestTenantName 'smode') -Plan vdc-small -CustomerId C-SMODE
        Invoke-OpenStackRaw role add --user admin --project $t.Id member | Out-Null

        function Invoke-InProject {
            param([Parameter(Mandatory, ValueFromRemainingArguments)] [string[]] $Arguments)
            Invoke-OpenStack --os-project-id $t.Id --os-compute-api-version 2.73 @Arguments
        }

        # The server as the admin sees it, at 2.73: status, task state, locked, locked_reason.
        function Get-LabServer([string] $Id) { Invoke-OpenStack --os-compute-api-version 2.73 server show $Id }

        function Wait-LabServer {
            param([Parameter(Mandatory)] [string] $Id, [Parameter(Mandatory)] [string] $Status, [int] $TimeoutSec = 600)
            $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
            while ($true) {
                $s = Get-LabServer $Id
                if ($s.status -eq $Status -and -not $s.'OS-EXT-STS:task_state') { return $s }
                if ($s.status -eq 'ERROR') { throw "server $Id went to ERROR: $($s.fault | ConvertTo-Json -Compress)" }
                if ([DateTime]::UtcNow -gt $deadline) { throw "server $Id is $($s.status)/$($s.'OS-EXT-STS:task_state'), not $Status, after $TimeoutSec s" }
                Start-Sleep -Seconds 1
            }
        }

        $script:Run = (Invoke-InProject server create --flavor m1.tiny --image vdcps-tiny --nic none "$($t.Name)-run").id
        $script:Off = (Invoke-InProject server create --flavor m1.tiny --image vdcps-tiny --nic none "$($t.Name)-off").id
        Wait-LabServer $Run ACTIVE | Out-Null
        Wait-LabServer $Off ACTIVE | Out-Null
        Invoke-OpenStackRaw server stop $Off | Out-Null
        Wait-LabServer $Off SHUTOFF | Out-Null
    }
    AfterAll {
        foreach ($id in @($Run, $Off)) { if ($id) { & openstack --os-cloud vdcps-lab server delete --wait $id 2>$null | Out-Null } }
        Remove-TestProject $t.Name
    }

    It 'Access leaves the servers as they are (running, unlocked), and cuts access' {
        Suspend-VdcTenant -Id $t.Id -Mode Access
        (Invoke-OpenStack project show $t.Id).enabled | Should -BeFalse
        $s = Get-LabServer $Run
        $s.status | Should -Be 'ACTIVE'
        $s.locked | Should -BeFalse
        Resume-VdcTenant -Id $t.Id
        (Invoke-OpenStack project show $t.Id).enabled | Should -BeTrue
    }

    It 'Stop stops the running server and locks both, with a reason; project and user are disabled' {
        Suspend-VdcTenant -Id $t.Id -Mode Stop
        $run = Get-LabServer $Run
        $run.status | Should -Be 'SHUTOFF'
        $run.locked | Should -BeTrue
        $run.locked_reason | Should -Match 'Suspended by the provider'
        $off = Get-LabServer $Off
        $off.status | Should -Be 'SHUTOFF'
        $off.locked | Should -BeTrue
        (Invoke-OpenStack project show $t.Id).enabled | Should -BeFalse
        (Invoke-OpenStack user show $t.UserId).enabled | Should -BeFalse
        (Get-VdcTenant -Id $t.Id).State | Should -Be 'Suspended'
    }

    It 'Resume starts only the server the suspension stopped and unlocks both' {
        Resume-VdcTenant -Id $t.Id
        $run = Get-LabServer $Run
        $run.status | Should -Be 'ACTIVE'
        $run.locked | Should -BeFalse
        $off = Get-LabServer $Off
        $off.status | Should -Be 'SHUTOFF'   # its owner had stopped it: it stays stopped
        $off.locked | Should -BeFalse
        (Invoke-OpenStack project show $t.Id).enabled | Should -BeTrue
        (Invoke-OpenStack user show $t.UserId).enabled | Should -BeTrue
        (Invoke-OpenStack project show $t.Id).vdcps_suspension | Should -BeNullOrEmpty
    }

    It 'Resume again is a rerun: a warning, nothing started or recorded twice' {
        $before = (Get-VdcTenant -Id $t.Id).History
        Resume-VdcTenant -Id $t.Id -WarningVariable warn -WarningAction SilentlyContinue
        ($warn -join ' ') | Should -Match 'already active'
        (Get-VdcTenant -Id $t.Id).History | Should -Be $before
    }

    It 'Shelve shelves and offloads both servers and locks them' {
        Suspend-VdcTenant -Id $t.Id -Mode Shelve
        foreach ($id in @($Run, $Off)) {
            $s = Get-LabServer $id
            $s.status | Should -Be 'SHELVED_OFFLOADED'
            $s.locked | Should -BeTrue
            $s.'OS-EXT-SRV-ATTR:host' | Should -BeNullOrEmpty   # the host is freed
        }
    }

    It 'a second Suspend with another mode is refused and changes nothing' {
        { Suspend-VdcTenant -Id $t.Id -Mode Stop -ErrorAction Stop } | Should -Throw -ErrorId 'TenantStateInvalid*'
        (Get-LabServer $Run).status | Should -Be 'SHELVED_OFFLOADED'
    }

    It 'Resume unshelves both, leaves the one that was off stopped again, and unlocks them' {
        Resume-VdcTenant -Id $t.Id
        $run = Get-LabServer $Run
        $run.status | Should -Be 'ACTIVE'
        $run.locked | Should -BeFalse
        $off = Get-LabServer $Off
        $off.status | Should -Be 'SHUTOFF'
        $off.locked | Should -BeFalse
        (Get-VdcTenant -Id $t.Id).State | Should -Be 'Active'
    }
}
