BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
}

Describe 'Disconnect-VdcCloud' -Tag Unit {
    It 'supports -WhatIf and -Confirm' {
        $p = (Get-Command Disconnect-VdcCloud).Parameters
        $p.Keys | Should -Contain 'WhatIf'
        $p.Keys | Should -Contain 'Confirm'
    }

    It 'with nothing connected does nothing' {
        { Disconnect-VdcCloud } | Should -Not -Throw
    }
}

Describe 'Disconnect-VdcCloud against the lab' -Tag Lab {
    BeforeEach {
        $env:OS_CLIENT_CONFIG_FILE = $LabClouds
    }
    AfterAll {
        Get-VdcContext -ListAvailable | Disconnect-VdcCloud
        $env:OS_CLIENT_CONFIG_FILE = $null
    }

    It 'forgets the current context and revokes its token in Keystone' {
        $ctx = Connect-VdcCloud -Cloud vdcps-lab -Name to-close
        $other = Connect-VdcCloud -Cloud vdcps-lab -Name stays -NoSetCurrent
        # Keystone records a revocation event (with the token's audit id) per revoked token
        # (OS-REVOKE): count those around the call
        $adminToken = (Invoke-OpenStack token issue).id
        $events = { @((Invoke-RestMethod -Uri 'http://127.0.0.1:5000/v3/OS-REVOKE/events' -Headers @{ 'X-Auth-Token' = $adminToken }).events | Where-Object { $_.audit_id }).Count }
        $before = & $events
        Disconnect-VdcCloud
        (& $events) | Should -Be ($before + 1)
        Get-VdcContext | Should -BeNullOrEmpty
        (Get-VdcContext -ListAvailable).Name | Should -Be 'stays'
    }

    It '-WhatIf keeps the context' {
        Connect-VdcCloud -Cloud vdcps-lab -Name keep-me | Out-Null
        Disconnect-VdcCloud -Name keep-me -WhatIf
        (Get-VdcContext -Name keep-me).Name | Should -Be 'keep-me'
    }

    It 'closes by name with wildcards, and all' {
        Connect-VdcCloud -Cloud vdcps-lab -Name w-1 | Out-Null
        Connect-VdcCloud -Cloud vdcps-lab -Name w-2 | Out-Null
        Disconnect-VdcCloud -Name 'w-*'
        Get-VdcContext -Name 'w-*' | Should -BeNullOrEmpty
        Disconnect-VdcCloud -All
        Get-VdcContext -ListAvailable | Should -BeNullOrEmpty
    }
}
