# A termination whose PowerShell process is killed (SIGKILL, no cleanup of any kind) in the middle of
# its deletes: the tenant is left disabled and marked removing, with the earlier dependency levels
# done; the killed run's lease keeps a rerun out until it expires or an operator deletes it (as the
# error says); then a rerun finishes with nothing left. The openstack CLI is the oracle.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    Initialize-TestLab
    $faultProxy = Start-FaultProxy
    $script:proxy = $faultProxy.Process; $script:base = $faultProxy.Base
}
AfterAll {
    if ($proxy -and -not $proxy.HasExited) { Stop-Process -Id $proxy.Id -ErrorAction SilentlyContinue }
    Get-VdcContext -ListAvailable | Disconnect-VdcCloud -ErrorAction SilentlyContinue
    Clear-TestLab
    $env:VDCPS_LEASE_WAIT = $null
}

Describe 'Remove-VdcTenant killed mid-termination' -Tag Lab {
    It 'a real process kill leaves the tenant removing with the earlier levels done; a rerun finishes with nothing left' {
        $name = New-TestTenantName 'kill'
        $child = $null
        try {
            $t = New-VdcTenant -Name $name -Plan vdc-small -CustomerId C-KILL
            $net = Invoke-OpenStack network create --project $t.Id "net-$name"
            $subnet = Invoke-OpenStack subnet create --project $t.Id --network $net.id --subnet-range 10.81.0.0/24 "sub-$name"
            $router = Invoke-OpenStack router create --project $t.Id "rt-$name"
            Invoke-OpenStackRaw router add subnet $router.id $subnet.id | Out-Null
            $port = Invoke-OpenStack port create --project $t.Id --network $net.id "port-$name"
            $sg = Invoke-OpenStack security group create --project $t.Id "sg-$name"

            # the network delete (level 4) hangs in the proxy: the child is then surely mid-termination
            $rule = @{ method = 'DELETE'; path = '^/v2.0/networks/'; nth = 1; times = 50; action = 'delay'; delay = 600 }
            Invoke-RestMethod -Method Put "$base/__faults" -ContentType 'application/json' -Body (ConvertTo-Json @($rule)) | Out-Null

            $script = @"
`$env:OS_CLIENT_CONFIG_FILE = '$LabClouds'; `$env:VDCPS_PLAN_CATALOG = '$SampleCatalog'; `$env:VDCPS_JOURNAL = '$($env:VDCPS_JOURNAL)'
Import-Module '$ModulePath'
`$cred = [pscredential]::new('admin', (ConvertTo-SecureString 'secret' -AsPlainText -Force))
Connect-VdcCloud -AuthUrl '$base/identity/v3' -Credential `$cred -ProjectName admin -Name via-proxy -EndpointOverride @{
    compute = '$base/compute/v2.1'; 'block-storage' = '$base/volume/v3/%(project_id)s'; network = '$base/network' } | Out-Null
Remove-VdcTenant -Id '$($t.Id)' -Confirm:`$false
"@
            $pwsh = Get-PwshInvocation
            $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
            $child = Start-Process -FilePath $pwsh.File -ArgumentList @($pwsh.Prefix + @('-NoProfile', '-NonInteractive', '-EncodedCommand', $encoded)) -PassThru

            # wait until the proxy holds the network delete (levels 0 to 3 are done by then), then kill
            $deadline = [datetime]::UtcNow.AddMinutes(5)
            while (-not (@(Invoke-RestMethod "$base/__faults") | Where-Object { $_.fired -ge 1 })) {
                if ($child.HasExited) { throw "the child ended before the termination reached the networks (exit $($child.ExitCode))" }
                if ([datetime]::UtcNow -gt $deadline) { throw 'the termination did not reach the networks in 5 minutes' }
                Start-Sleep -Milliseconds 200
            }
            Stop-Process -Id $child.Id -Force          # SIGKILL: no finally block, no rollback, no lease release
            $child.WaitForExit()
            # the held request must never reach Neutron: stop the proxy with it
            Stop-Process -Id $proxy.Id -Force; $proxy.WaitForExit()

            # what the kill left: disabled, removing, the subnet and router gone, the network still there
            $p = Invoke-OpenStack project show $t.Id
            $p.vdcps_state | Should -Be 'removing'
            $p.enabled | Should -BeFalse
            & openstack --os-cloud vdcps-lab subnet show $subnet.id 2>&1 | Out-Null
            $LASTEXITCODE | Should -Not -Be 0 -Because 'level 3 was done before the kill'
            & openstack --os-cloud vdcps-lab router show $router.id 2>&1 | Out-Null
            $LASTEXITCODE | Should -Not -Be 0 -Because 'level 2 was done before the kill'
            (Invoke-OpenStack network show $net.id).id | Should -Be $net.id

            # the killed run still holds the tenant's lease: a rerun says so and changes nothing ...
            $env:VDCPS_LEASE_WAIT = '1'
            Remove-VdcTenant -Id $t.Id -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'TenantBusy,*'
            $err[0].ErrorDetails.RecommendedAction + $err[0].Exception.Message | Should -Match 'group delete'
            (Invoke-OpenStack network show $net.id).id | Should -Be $net.id
            # ... until the operator deletes the dead run's lease, as the error says (or it expires)
            Invoke-OpenStackRaw group delete --domain default "vdcps-lease-$($t.Id)" | Out-Null

            Remove-VdcTenant -Id $t.Id -Confirm:$false
            foreach ($kind in @(@('network', $net.id), @('subnet', $subnet.id), @('router', $router.id), @('port', $port.id), @('security group', $sg.id))) {
                & openstack --os-cloud vdcps-lab @($kind[0] -split ' ') show $kind[1] 2>&1 | Out-Null
                $LASTEXITCODE | Should -Not -Be 0 -Because "$($kind[0]) $($kind[1]) must be deleted"
            }
            @(Invoke-OpenStack network list --project $t.Id) | Should -BeNullOrEmpty
            @(Invoke-OpenStack port list --project $t.Id) | Should -BeNullOrEmpty
            @(Invoke-OpenStack router list --project $t.Id) | Should -BeNullOrEmpty
            # the whole-cloud list, filtered here: a list filtered by the project makes Neutron create its default group again
            @(Invoke-OpenStack security group list | Where-Object Project -eq $t.Id) | Should -BeNullOrEmpty
            & openstack --os-cloud vdcps-lab user show $t.UserId 2>&1 | Out-Null
            $LASTEXITCODE | Should -Not -Be 0
            @(Invoke-OpenStack role assignment list --project $t.Id) | Should -BeNullOrEmpty
            $kept = Invoke-OpenStack project show $t.Id
            $kept.vdcps_state | Should -Be 'terminated'
            $kept.name | Should -Be "vdcps-terminated-$($t.Id)"
        }
        finally {
            $env:VDCPS_LEASE_WAIT = $null
            if ($child -and -not $child.HasExited) { Stop-Process -Id $child.Id -Force -ErrorAction SilentlyContinue }
            & openstack --os-cloud vdcps-lab group delete --domain default "vdcps-lease-$($t.Id)" 2>$null | Out-Null
            Remove-TestProject $name
        }
    }
}
