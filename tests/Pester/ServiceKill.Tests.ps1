#pester-serial: kills and restarts the lab's Neutron, which every other test file needs
# A lab service killed in the middle of an operation: New-VdcTenant is at its quota step when
# Neutron dies. The tenant must be rolled back completely (the openstack CLI finds no project, user
# or role assignment), and once Neutron is back the same command completes the job.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    Initialize-TestLab -NoConnect
    $faultProxy = Start-FaultProxy
    $script:proxy = $faultProxy.Process; $script:port = $faultProxy.Port; $script:base = $faultProxy.Base
}
AfterAll {
    if ($proxy) { Stop-Process -Id $proxy.Id -ErrorAction SilentlyContinue }
    & bash (Join-Path $RepoRoot 'tests/lab/lab.sh') start *> $null   # whatever happened, the lab is whole again
    Clear-TestLab
}

Describe 'A lab service killed mid-operation' -Tag Lab {
    It 'Neutron dies during the quota step: nothing is left, and a rerun after the restart completes' {
        $name = New-TestTenantName 'kill'
        $pidFile = Join-Path $LabDir 'pids/neutron-api.pid'
        try {
            # hold the Neutron quota write for 3 s in the proxy, and kill Neutron meanwhile
            $rule = @{ method = 'PUT'; path = '^/v2.0/quotas/'; nth = 1; times = 1; action = 'delay'; delay = 3 }
            Invoke-RestMethod -Method Put "$base/__faults" -ContentType 'application/json' -Body (ConvertTo-Json @($rule)) | Out-Null
            $cred = [pscredential]::new('admin', (ConvertTo-SecureString 'secret' -AsPlainText -Force))
            Connect-VdcCloud -AuthUrl "$base/identity/v3" -Credential $cred -ProjectName admin -Name via-proxy-kill -EndpointOverride @{
                compute = "$base/compute/v2.1"; 'block-storage' = "$base/volume/v3/%(project_id)s"; network = "$base/network" } | Out-Null
            $killer = Start-ThreadJob -ArgumentList $pidFile -ScriptBlock {
                param($pidFile)
                Start-Sleep -Seconds 1.5
                $master = [int](Get-Content $pidFile)
                & pkill -KILL -P $master
                & kill -KILL $master
            }
            New-VdcTenant -Name $name -Plan vdc-small -CustomerId C-KILL -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $killer | Wait-Job | Remove-Job
            $err[0].FullyQualifiedErrorId | Should -BeLike 'TenantOperationFailed,*'
            $err[0].Exception.Message | Should -Match "Rolled back: .*project '$name'"

            # the complete old state: no project, no user, no role assignment
            & openstack --os-cloud vdcps-lab project show $name 2>&1 | Out-Null
            $LASTEXITCODE | Should -Not -Be 0
            & openstack --os-cloud vdcps-lab user show $name 2>&1 | Out-Null
            $LASTEXITCODE | Should -Not -Be 0
            $orphans = & sqlite3 (Join-Path $LabDir 'data/keystone.sqlite') "SELECT COUNT(*) FROM assignment WHERE type = 'UserProject' AND (actor_id NOT IN (SELECT id FROM user) OR target_id NOT IN (SELECT id FROM project))"
            [int]$orphans | Should -Be 0

            # Neutron back, the same command completes the job
            & bash (Join-Path $RepoRoot 'tests/lab/lab.sh') start *> $null
            $t = New-VdcTenant -Name $name -Plan vdc-small -CustomerId C-KILL
            $t.State | Should -Be 'Active'
            (Get-OscQuota -Project $t.Id)['network.router'] | Should -Be (Get-VdcPlan -Name vdc-small -Quota | Where-Object Resource -eq router).Default
        }
        finally {
            Invoke-RestMethod -Method Delete "$base/__faults" -ErrorAction SilentlyContinue | Out-Null
            Disconnect-VdcCloud -Name via-proxy-kill -ErrorAction SilentlyContinue
            Remove-TestProject $name
        }
    }
}
