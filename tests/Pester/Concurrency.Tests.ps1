# Two runbooks provisioning the same tenant at the same time end with one tenant and a clear error
# for the loser; repeated create/remove cycles leave nothing behind and do not grow the module's
# memory or its open connections (the long version of the soak is bench/Measure-Soak.ps1).
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    Initialize-TestLab -NoConnect

    $faultProxy = Start-FaultProxy
    $script:proxy = $faultProxy.Process; $script:port = $faultProxy.Port; $script:base = $faultProxy.Base
}
AfterAll {
    if ($proxy) { Stop-Process -Id $proxy.Id -ErrorAction SilentlyContinue }
    Clear-TestLab
}

Describe 'Two runbooks, one tenant' -Tag Lab {
    It 'ends with one tenant, and the loser gets TenantBusy' {
        $name = New-TestTenantName 'race'
        # Hold every commit (PATCH of the project) for 3 s, so the two runs surely overlap.
        $rule = @{ method = 'PATCH'; path = '^/v3/projects/'; nth = 1; times = 10; action = 'delay'; delay = 3 }
        Invoke-RestMethod -Method Put "$base/__faults" -ContentType 'application/json' -Body (ConvertTo-Json @($rule)) | Out-Null
        try {
            $results = 1..2 | ForEach-Object -ThrottleLimit 2 -Parallel {
                $env:VDCPS_JOURNAL = $using:env:VDCPS_JOURNAL
                Import-Module $using:ModulePath
                $b = $using:base
                $cred = [pscredential]::new('admin', (ConvertTo-SecureString 'secret' -AsPlainText -Force))
                Connect-VdcCloud -AuthUrl "$b/identity/v3" -Credential $cred -ProjectName admin -EndpointOverride @{
                    compute = "$b/compute/v2.1"; 'block-storage' = "$b/volume/v3/%(project_id)s"; network = "$b/network" } | Out-Null
                $t = New-VdcTenant -Name $using:name -Plan vdc-small -CustomerId C-RACE -CatalogPath $using:SampleCatalog -ErrorVariable err -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
                [pscustomobject]@{ Made = [bool]$t; Error = if ($err) { $err[0].FullyQualifiedErrorId } else { '' }; Message = if ($err) { $err[0].Exception.Message } else { '' } }
            }
            @($results | Where-Object Made).Count | Should -Be 1
            $loser = $results | Where-Object { -not $_.Made }
            $loser.Error | Should -BeLike 'TenantBusy,*'
            $loser.Message | Should -Match 'being provisioned by another run'
            @(Invoke-OpenStack project list | Where-Object Name -eq $name).Count | Should -Be 1
            @(Invoke-OpenStack user list | Where-Object Name -eq $name).Count | Should -Be 1
            (Invoke-OpenStack project show $name).vdcps_state | Should -Be 'active'
        }
        finally {
            Invoke-RestMethod -Method Delete "$base/__faults" | Out-Null
            Remove-TestProject $name
        }
    }
}

Describe 'Create/remove cycles (short soak)' -Tag Lab {
    It '20 cycles leave nothing behind, and memory and connections stay flat' {
        Connect-VdcCloud -Cloud vdcps-lab | Out-Null
        $prefix = 'soak-' + [guid]::NewGuid().ToString('N').Substring(0, 6)
        $connections = { @(Get-ChildItem "/proc/$PID/fd" -ErrorAction SilentlyContinue | Where-Object { $_.LinkTarget -like 'socket:*' }).Count }
        $memory = { [GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect(); [GC]::GetTotalMemory($true) }
        $samples = foreach ($i in 1..20) {
            $t = New-VdcTenant -Name ('{0}-{1:d3}' -f $prefix, $i) -Plan vdc-small -CustomerId C-SOAK
            $t | Remove-VdcTenant -Confirm:$false
            if ($i -in 5, 20) { [pscustomobject]@{ Cycle = $i; Memory = & $memory; Sockets = & $connections } }
        }
        @(Invoke-OpenStack project list | Where-Object Name -like "$prefix-*").Count | Should -Be 0
        @(Invoke-OpenStack user list | Where-Object Name -like "$prefix-*").Count | Should -Be 0
        # after warm-up (cycle 5) to the end (cycle 20): no steady growth
        $samples[1].Memory | Should -BeLessThan ($samples[0].Memory + 8MB) -Because 'managed memory must not grow with cycles'
        $samples[1].Sockets | Should -BeLessOrEqual ($samples[0].Sockets + 4) -Because 'connections are pooled, not leaked'
    }
}
