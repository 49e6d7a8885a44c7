# The example runbooks in examples/ run green against the lab, in the order an operator uses them.
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
    Initialize-TestLab
    $script:examples = Join-Path $RepoRoot 'examples'
    $script:work = Join-Path ([IO.Path]::GetTempPath()) "vdcps-examples-$([guid]::NewGuid())"
    New-Item -ItemType Directory $work | Out-Null
    # the sample purchases, with names unique to this run
    $script:suffix = [guid]::NewGuid().ToString('N').Substring(0, 6)
    $script:purchases = Import-Csv (Join-Path $examples 'purchases.csv') | ForEach-Object {
        $_.Name = "$($_.Name)-$suffix"; $_.UserName = "$($_.UserName)-$suffix"; $_.CustomerId = "$($_.CustomerId)-$suffix"; $_
    }
    $purchases | Export-Csv (Join-Path $work 'purchases.csv') -NoTypeInformation
}
AfterAll {
    $purchases | ForEach-Object { Remove-TestProject $_.Name }
    Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue
    Clear-TestLab
}

Describe 'Example runbooks' -Tag Lab {
    It 'Invoke-Onboarding provisions every purchase and hands credentials over in private files only' {
        $handover = Join-Path $work 'handover'
        $out = & (Join-Path $examples 'Invoke-Onboarding.ps1') -PurchasesPath (Join-Path $work 'purchases.csv') -HandoverPath $handover 6>&1 | Out-String
        foreach ($p in $purchases) {
            (Invoke-OpenStack project show $p.Name).vdcps_customer | Should -Be $p.CustomerId
            $file = Join-Path $handover "$($p.Name).credential.txt"
            Test-Path $file | Should -BeTrue
            (Get-Item $file).UnixMode | Should -Be '-rw-------'
            $password = ((Get-Content $file) -match '^Password: ')[0].Substring(10)
            $cred = [pscredential]::new($p.UserName, (ConvertTo-SecureString $password -AsPlainText -Force))
            $ctx = Connect-VdcCloud -AuthUrl http://127.0.0.1:5000/v3 -Credential $cred -ProjectName $p.Name -Name "check-$($p.Name)" -NoSetCurrent
            $ctx.ProjectName | Should -Be $p.Name
            $ctx | Disconnect-VdcCloud
            $out | Should -Not -Match ([regex]::Escape($password))
        }
        # rerunning the runbook is safe: nothing new, nothing handed over again
        $again = & (Join-Path $examples 'Invoke-Onboarding.ps1') -PurchasesPath (Join-Path $work 'purchases.csv') -HandoverPath (Join-Path $work 'handover2') 6>&1 -WarningAction SilentlyContinue | Out-String
        $again | Should -Match 'already provisioned'
        @(Get-ChildItem (Join-Path $work 'handover2')).Count | Should -Be 0
    }

    It 'Invoke-PlanChange moves a tenant to another plan' {
        $t = & (Join-Path $examples 'Invoke-PlanChange.ps1') -Name $purchases[1].Name -Plan vdc-medium 6>$null
        $t.Plan | Should -Be 'vdc-medium'
        (Invoke-OpenStack project show $purchases[1].Name).vdcps_plan | Should -Be 'vdc-medium'
        (Get-OscQuota -Project $t.Id)['compute.cores'] | Should -Be (Get-VdcPlan -Name vdc-medium -Quota | Where-Object Resource -eq cores).Default
    }

    It 'Invoke-Suspension suspends the overdue customer and resumes it once paid' {
        $c = $purchases[1].CustomerId
        & (Join-Path $examples 'Invoke-Suspension.ps1') -OverdueCustomerId $c 6>$null | Out-Null
        (Invoke-OpenStack project show $purchases[1].Name).enabled | Should -BeFalse
        & (Join-Path $examples 'Invoke-Suspension.ps1') -OverdueCustomerId $c 6>$null | Should -BeNullOrEmpty   # rerun: nothing to do
        & (Join-Path $examples 'Invoke-Suspension.ps1') -PaidCustomerId $c 6>$null | Out-Null
        (Invoke-OpenStack project show $purchases[1].Name).enabled | Should -BeTrue
    }

    It 'Invoke-Offboarding terminates a customer, deleting the network its project owns; -LeaveResources leaves it' {
        $keep = $purchases[0]
        $keepId = (Invoke-OpenStack project show $keep.Name).id
        $net = Invoke-OpenStack network create --project $keepId "net-$($keep.Name)"
        try {
            & (Join-Path $examples 'Invoke-Offboarding.ps1') -CustomerId $keep.CustomerId -LeaveResources -Confirm:$false 6>$null | Out-Null
            $kept = Invoke-OpenStack project show $keepId
            $kept.vdcps_state | Should -Be 'terminated'      # kept for the last invoice (no -Purge)
            $kept.enabled | Should -BeFalse
            (Invoke-OpenStack network show $net.id).id | Should -Be $net.id
        }
        finally { Invoke-OpenStackRaw network delete $net.id | Out-Null }

        $gone = $purchases[1]   # vdc-small: its last invoice has a monthly fee
        $goneId = (Invoke-OpenStack project show $gone.Name).id
        $net2 = Invoke-OpenStack network create --project $goneId "net-$($gone.Name)"
        $invoice = Join-Path ([IO.Path]::GetTempPath()) "offboarding-$([guid]::NewGuid()).csv"
        & (Join-Path $examples 'Invoke-Offboarding.ps1') -CustomerId $gone.CustomerId -InvoicePath $invoice -Purge -Confirm:$false 6>$null | Out-Null
        # the last invoice was rated before the purge: the month's fee up to today
        @(Import-Csv $invoice | Where-Object { $_.TenantId -eq $goneId -and $_.ChargeType -eq 'MonthlyFee' }).Count | Should -Be 1
        Remove-Item $invoice -ErrorAction SilentlyContinue
        & openstack --os-cloud vdcps-lab project show $goneId 2>&1 | Out-Null
        $LASTEXITCODE | Should -Not -Be 0
        & openstack --os-cloud vdcps-lab network show $net2.id 2>&1 | Out-Null
        $LASTEXITCODE | Should -Not -Be 0
    }
}
