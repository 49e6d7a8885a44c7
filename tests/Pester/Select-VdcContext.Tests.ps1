# Select-VdcContext, -Context by name, and how contexts reach ForEach-Object -Parallel, thread jobs
# and background jobs (about_VdcPS_Contexts).
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
}

Describe 'Select-VdcContext' -Tag Unit {
    It 'has a name set (positional, completed) and a pipeline InputObject set' {
        $cmd = Get-Command Select-VdcContext
        $cmd.Parameters.Name.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] })[0].Position | Should -Be 0
        $cmd.Parameters.Name.Attributes.Where({ $_ -is [System.Management.Automation.ArgumentCompleterAttribute] }) | Should -Not -BeNullOrEmpty
        $cmd.Parameters.InputObject.Attributes.Where({ $_ -is [System.Management.Automation.ParameterAttribute] })[0].ValueFromPipeline | Should -BeTrue
    }

    It 'an unknown name is ContextNotFound and changes nothing' {
        Get-VdcContext -ListAvailable | Disconnect-VdcCloud -ErrorAction SilentlyContinue
        Select-VdcContext no-such-context -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -Be 'ContextNotFound,VdcPS.Commands.SelectVdcContextCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Get-VdcContext | Should -BeNullOrEmpty
    }

    It 'every -Context and -SystemContext takes a name and completes context names' {
        foreach ($cmd in Get-Command -Module VdcPS -CommandType Cmdlet) {
            foreach ($p in $cmd.Parameters.Values | Where-Object { $_.ParameterType -in [VdcPS.Models.VdcContext], [VdcPS.Models.VdcContext[]] -and $_.Name -ne 'InputObject' }) {
                $p.Attributes.Where({ $_ -is [System.Management.Automation.ArgumentTransformationAttribute] }) | Should -Not -BeNullOrEmpty -Because "$($cmd.Name) -$($p.Name) takes a context name"
                $p.Attributes.Where({ $_ -is [System.Management.Automation.ArgumentCompleterAttribute] }) | Should -Not -BeNullOrEmpty -Because "$($cmd.Name) -$($p.Name) completes context names"
            }
        }
    }

    It 'a -Context name that is no context fails at binding with what to do' {
        $e = { Get-VdcTenant -Context no-such-context } | Should -Throw -PassThru
        $e.FullyQualifiedErrorId | Should -Be 'ParameterArgumentTransformationError,VdcPS.Commands.GetVdcTenantCommand'
        $e.Exception.Message | Should -Match "No context named 'no-such-context'"
        $e.Exception.Message | Should -Match 'using:'
    }
}

Describe 'Contexts against the lab' -Tag Lab {
    BeforeAll {
        $env:OS_CLIENT_CONFIG_FILE = $LabClouds
        $script:a = Connect-VdcCloud -Cloud vdcps-lab -Name sel-a
        $script:b = Connect-VdcCloud -Cloud vdcps-lab-system -Name sel-b -NoSetCurrent
        $script:admin = Invoke-OpenStack project show admin
    }
    AfterAll {
        Get-VdcContext -ListAvailable | Disconnect-VdcCloud
        $env:OS_CLIENT_CONFIG_FILE = $null
    }

    It 'switches the current context without reconnecting, by name and from the pipeline' {
        $selected = Select-VdcContext sel-b
        $selected.Name | Should -Be 'sel-b'
        $selected.IsCurrent | Should -BeTrue
        [object]::ReferenceEquals($selected, $b) | Should -BeTrue -Because 'the same connection, not a new one'
        (Get-VdcContext).Name | Should -Be 'sel-b'
        (Get-VdcContext -ListAvailable | Where-Object IsCurrent).Name | Should -Be 'sel-b'
        $a | Select-VdcContext | Out-Null
        (Get-VdcContext).Name | Should -Be 'sel-a'
        Select-VdcContext sel-b -WhatIf | Should -BeNullOrEmpty
        (Get-VdcContext).Name | Should -Be 'sel-a'
    }

    It 'completes context names for -Context and Select-VdcContext' {
        foreach ($line in 'Select-VdcContext sel-', 'Get-VdcTenant -Context sel-', 'Get-VdcQuota -SystemContext sel-') {
            ([System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null)).CompletionMatches.CompletionText | Should -Be @('sel-a', 'sel-b') -Because $line
        }
    }

    It '-Context takes a context name; the oracle sees the same project' {
        (Get-VdcTenant -Context sel-a -Name admin -IncludeUnmanaged).Id | Should -Be $admin.id
        (Get-VdcTenant -Context $b -Name admin -IncludeUnmanaged).Id | Should -Be $admin.id
    }

    It 'ForEach-Object -Parallel: no context by default, $using: passes the context, Select-VdcContext makes it current there' {
        $ctx = $a
        $out = 1..2 | ForEach-Object -Parallel {
            Import-Module $using:ModulePath
            $before = @(Get-VdcContext -ListAvailable).Count
            $byName = try { Get-VdcTenant -Context sel-a -Name admin -IncludeUnmanaged; 'found' } catch { $_.FullyQualifiedErrorId }
            $explicit = (Get-VdcTenant -Context $using:ctx -Name admin -IncludeUnmanaged).Id
            $using:ctx | Select-VdcContext | Out-Null
            [pscustomobject]@{ Before = $before; ByName = $byName; Explicit = $explicit; Current = (Get-VdcContext).Name; Implicit = (Get-VdcTenant -Name admin -IncludeUnmanaged).Id }
        } -ThrottleLimit 2
        $out.Count | Should -Be 2
        foreach ($r in $out) {
            $r.Before | Should -Be 0 -Because 'contexts are per runspace'
            $r.ByName | Should -BeLike 'ParameterArgumentTransformationError,*'
            $r.Explicit | Should -Be $admin.id
            $r.Current | Should -Be 'sel-a'
            $r.Implicit | Should -Be $admin.id
        }
        (Get-VdcContext).Name | Should -Be 'sel-a' -Because 'the parent runspace is unchanged'
    }

    It 'thread jobs get the context with $using:' {
        $ctx = $a
        $id = Start-ThreadJob { Import-Module $using:ModulePath; (Get-VdcTenant -Context $using:ctx -Name admin -IncludeUnmanaged).Id } | Receive-Job -Wait -AutoRemoveJob
        $id | Should -Be $admin.id
    }

    It 'background jobs get a copy without the connection, say so, and connect themselves' {
        $ctx = $a
        $out = Start-Job {
            Import-Module $using:ModulePath
            $env:OS_CLIENT_CONFIG_FILE = $using:LabClouds
            try { Get-VdcTenant -Context $using:ctx -Name admin -IncludeUnmanaged; 'NOERROR' } catch { 'ERROR=' + $_.FullyQualifiedErrorId + '|' + $_.Exception.Message }
            Connect-VdcCloud -Cloud ($using:ctx).Cloud | Out-Null
            'ID=' + (Get-VdcTenant -Name admin -IncludeUnmanaged).Id
            Disconnect-VdcCloud
        } | Receive-Job -Wait -AutoRemoveJob
        $text = $out -join "`n"
        $text | Should -Match 'ERROR=ParameterArgumentTransformationError,.*copy from another process'
        $text | Should -Match 'Connect-VdcCloud -Cloud vdcps-lab'
        $text | Should -Match "ID=$($admin.id)"
    }
}
