BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    $env:VDCPS_PLAN_CATALOG = $SampleCatalog
}
AfterAll { $env:VDCPS_PLAN_CATALOG = $null }

Describe 'Remove-VdcTenant contract' -Tag Unit {
    It 'is ConfirmImpact High and supports -WhatIf and -Force' {
        $attr = (Get-Command Remove-VdcTenant).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $true)
        $attr.ConfirmImpact | Should -Be 'High'
        (Get-Command Remove-VdcTenant).Parameters.Keys | Should -Contain 'Force'
        (Get-Command Remove-VdcTenant).Parameters.Keys | Should -Contain 'LeaveResources'
    }
}

Describe 'Remove-VdcTenant against the lab' -Tag Lab {
    BeforeAll {
        Initialize-TestLab -NoCatalog -NoJournal
    }
    AfterAll { Clear-TestLab }

    It 'deletes everything the project owns (a real server, router with interface, port, subnet, network, security group), then the tenant' {
        $t = New-VdcTenant -Name (New-TestTenantName 'rm') -Plan vdc-small -CustomerId C-RM
        try {
            Invoke-OpenStackRaw role add --user admin --project $t.Id member | Out-Null
            $server = Invoke-OpenStack --os-project-id $t.Id --os-compute-api-version 2.37 server create --flavor m1.tiny --image vdcps-tiny --nic none --wait "vm-$($t.Name)"
            $net = Invoke-OpenStack network create --project $t.Id "net-$($t.Name)"
            $subnet = Invoke-OpenStack subnet create --project $t.Id --network $net.id --subnet-range 10.77.0.0/24 "sub-$($t.Name)"
            $router = Invoke-OpenStack router create --project $t.Id "rt-$($t.Name)"
            Invoke-OpenStackRaw router add subnet $router.id $subnet.id | Out-Null
            $port = Invoke-OpenStack port create --project $t.Id --network $net.id "port-$($t.Name)"
            $sg = Invoke-OpenStack security group create --project $t.Id "sg-$($t.Name)"

            # -WhatIf names every resource that would go, and deletes nothing
            $said = Invoke-FreshPwsh ("`$env:OS_CLIENT_CONFIG_FILE = '$LabClouds'; Import-Module '$ModulePath'; Connect-VdcCloud -Cloud vdcps-lab | Out-Null; " +
                "Remove-VdcTenant -Name '$($t.Name)' -WhatIf") | Out-String
            foreach ($name in "vm-$($t.Name)", "net-$($t.Name)", "sub-$($t.Name)", "rt-$($t.Name)", "port-$($t.Name)", "sg-$($t.Name)") { $said | Should -Match ([regex]::Escape($name)) }
            (Invoke-OpenStack network show $net.id).id | Should -Be $net.id

            # -Force only skips the prompt: nothing is left behind
            Remove-VdcTenant -Name $t.Name -Force
            # Each resource by its id, and the admin's whole-cloud lists (which carry the project id)
            # for anything not named here.
            foreach ($kind in @(@('server', $server.id), @('network', $net.id), @('subnet', $subnet.id), @('router', $router.id),
                    @('port', $port.id), @('security group', $sg.id))) {
                & openstack --os-cloud vdcps-lab @($kind[0] -split ' ') show $kind[1] 2>&1 | Out-Null
                $LASTEXITCODE | Should -Not -Be 0 -Because "$($kind[0]) $($kind[1]) must be deleted"
            }
            @(Invoke-OpenStack network list --long | Where-Object Project -eq $t.Id) | Should -BeNullOrEmpty
            @(Invoke-OpenStack security group list | Where-Object Project -eq $t.Id) | Should -BeNullOrEmpty
            @(Invoke-OpenStack router list --long | Where-Object Project -eq $t.Id) | Should -BeNullOrEmpty
            @(Invoke-OpenStack server list --all-projects --project $t.Id) | Should -BeNullOrEmpty
            @(Invoke-OpenStack port list --project $t.Id) | Should -BeNullOrEmpty
            & openstack --os-cloud vdcps-lab user show $t.UserId 2>&1 | Out-Null
            $LASTEXITCODE | Should -Not -Be 0
            @(Invoke-OpenStack role assignment list --project $t.Id) | Should -BeNullOrEmpty
            # the record stays for the last invoice: disabled, renamed, terminated, the name free again
            $kept = Invoke-OpenStack project show $t.Id
            $kept.name | Should -Be "vdcps-terminated-$($t.Id)"
            $kept.enabled | Should -BeFalse
            $kept.vdcps_state | Should -Be 'terminated'
            $kept.vdcps_original_name | Should -Be $t.Name
            # -Purge deletes it for good
            Remove-VdcTenant -Name $t.Name -Purge -Force
            & openstack --os-cloud vdcps-lab project show $t.Id 2>&1 | Out-Null
            $LASTEXITCODE | Should -Not -Be 0
        }
        finally { Remove-TestProject $t.Name }
    }

    It '-LeaveResources removes the tenant and leaves what it owns, as its own explicit choice' {
        $t = New-VdcTenant -Name (New-TestTenantName 'rm') -Plan vdc-small -CustomerId C-RM
        try {
            $net = Invoke-OpenStack network create --project $t.Id "net-$($t.Name)"
            Remove-VdcTenant -Name $t.Name -LeaveResources -Force -WarningAction SilentlyContinue
            (Invoke-OpenStack project show $t.Id).vdcps_state | Should -Be 'terminated'
            (Invoke-OpenStack network show $net.id).id | Should -Be $net.id
            Invoke-OpenStackRaw network delete $net.id | Out-Null
        }
        finally { Remove-TestProject $t.Name }
    }

    It '-WhatIf removes nothing' {
        $t = New-VdcTenant -Name (New-TestTenantName 'rm') -Plan vdc-small -CustomerId C-RM
        try {
            $t | Remove-VdcTenant -WhatIf
            (Invoke-OpenStack project show $t.Id).id | Should -Be $t.Id
        }
        finally { Remove-TestProject $t.Name }
    }

    It 'finishes a removal that was interrupted (state removing) on a rerun' {
        $t = New-VdcTenant -Name (New-TestTenantName 'rm') -Plan vdc-small -CustomerId C-RM
        # what an interrupted Remove-VdcTenant leaves: the project disabled and marked removing
        Invoke-OpenStackRaw project set --disable --property vdcps_state=removing $t.Id | Out-Null
        (Get-VdcTenant -Id $t.Id).State | Should -Be 'Removing'
        try {
            Get-VdcTenant -Id $t.Id | Remove-VdcTenant -Confirm:$false
            (Invoke-OpenStack project show $t.Id).vdcps_state | Should -Be 'terminated'
            & openstack --os-cloud vdcps-lab user show $t.UserId 2>&1 | Out-Null
            $LASTEXITCODE | Should -Not -Be 0
        }
        finally { Remove-TestProject $t.Name }
    }

    It 'refuses a project VdcPS did not create' {
        Remove-VdcTenant -Name admin -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TenantNotManaged,*'
        (Invoke-OpenStack project show admin).enabled | Should -BeTrue
    }
}
