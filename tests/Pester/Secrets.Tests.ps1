BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Import-Module $ModulePath -Force
}

Describe 'No secret in any stream, transcript or export' -Tag Lab {
    BeforeAll {
        $script:authUrl = 'http://127.0.0.1:5000/v3'
        $script:userName = 'vdcps-sec-' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        $script:password = New-TestSecret
        Invoke-OpenStack user create --domain default --password $password $userName | Out-Null
        Invoke-OpenStackRaw role add --project admin --user $userName member | Out-Null
        $script:cred = [pscredential]::new($userName, (ConvertTo-SecureString $password -AsPlainText -Force))

        # an application credential of that user, made through VdcPS's own password login
        $script:appSecret = New-TestSecret
        $env:OS_CLIENT_CONFIG_FILE = $null
        $body = @{ auth = @{ identity = @{ methods = @('password'); password = @{ user = @{ name = $userName; domain = @{ id = 'default' }; password = $password } } }; scope = @{ project = @{ name = 'admin'; domain = @{ id = 'default' } } } } } | ConvertTo-Json -Depth 10
        $resp = Invoke-WebRequest -Method Post -Uri "$authUrl/auth/tokens" -ContentType 'application/json' -Body $body
        $script:userToken = [string]$resp.Headers['X-Subject-Token']
        $userId = ($resp.Content | ConvertFrom-Json).token.user.id
        # unique name: this Keystone (Zed, sqlite) refuses a name any user has used before (409)
        Repair-LabKeystone
        $acBody = @{ application_credential = @{ name = 'vdcps-sec-ac-' + [guid]::NewGuid().ToString('N').Substring(0, 8); secret = $appSecret } } | ConvertTo-Json
        $script:appCred = (Invoke-RestMethod -Method Post -Uri "$authUrl/users/$userId/application_credentials" -Headers @{ 'X-Auth-Token' = $userToken } -ContentType 'application/json' -Body $acBody).application_credential

        $script:secrets = @($password, $appSecret, $userToken)
        $script:transcript = Join-Path ([IO.Path]::GetTempPath()) "vdcps-transcript-$([guid]::NewGuid()).txt"
        $script:csv = Join-Path ([IO.Path]::GetTempPath()) "vdcps-contexts-$([guid]::NewGuid()).csv"

        $wrongPassword = New-TestSecret
        $wrongSecret = New-TestSecret
        $badToken = New-TestSecret
        $script:secrets += @($wrongPassword, $wrongSecret, $badToken)

        $secure = { param($s) ConvertTo-SecureString $s -AsPlainText -Force }
        Start-Transcript -Path $transcript -IncludeInvocationHeader | Out-Null
        $script:streams = & {
            Connect-VdcCloud -AuthUrl $authUrl -Credential $cred -ProjectName admin -Name sec-pw -Verbose -Debug
            Connect-VdcCloud -AuthUrl $authUrl -ApplicationCredentialId $appCred.id -ApplicationCredentialSecret (& $secure $appSecret) -Name sec-ac -Verbose -Debug
            Connect-VdcCloud -AuthUrl $authUrl -Token (& $secure $userToken) -ProjectName admin -Name sec-token -Verbose -Debug
            try { Connect-VdcCloud -AuthUrl $authUrl -Credential ([pscredential]::new($userName, (& $secure $wrongPassword))) -ProjectName admin -Verbose -Debug } catch { $_; $_.Exception.ToString() }
            try { Connect-VdcCloud -AuthUrl $authUrl -ApplicationCredentialId $appCred.id -ApplicationCredentialSecret (& $secure $wrongSecret) -Verbose -Debug } catch { $_; $_.Exception.ToString() }
            try { Connect-VdcCloud -AuthUrl $authUrl -Token (& $secure $badToken) -ProjectName admin -Verbose -Debug } catch { $_; $_.Exception.ToString() }
            try { Connect-VdcCloud -AuthUrl http://127.0.0.1:1/v3 -Credential $cred -TimeoutSec 2 -Verbose -Debug } catch { $_; $_.Exception.ToString() }
            Get-VdcContext -ListAvailable | Format-List * | Out-String
            Get-VdcContext -ListAvailable | Export-Csv -Path $csv -NoTypeInformation
            Get-VdcContext -ListAvailable | Disconnect-VdcCloud -Verbose -Debug
        } *>&1 | ForEach-Object { $_ | Out-String }
        $script:errors = $Error | ForEach-Object { ($_ | Format-List * -Force | Out-String) + $_.Exception.ToString() }
        Stop-Transcript | Out-Null
    }
    AfterAll {
        Invoke-OpenStackRaw user delete $userName | Out-Null
        Remove-Item @($transcript, $csv | Where-Object { $_ }) -ErrorAction SilentlyContinue
    }

    It 'captured the debug, verbose and error output it scans' {
        ($streams -join "`n") | Should -Match 'POST http://127.0.0.1:5000/v3/auth/tokens -> 201'
        ($streams -join "`n") | Should -Match 'Connected to'
        ($errors -join "`n") | Should -Match 'AuthenticationFailed'
        (Get-Content -Raw $csv) | Should -Match 'sec-pw'
    }

    It 'no secret in the output, verbose, debug, warning or error streams' {
        $all = ($streams + $errors) -join "`n"
        foreach ($s in $secrets) { $all | Should -Not -Match ([regex]::Escape($s)) }
    }

    It 'no secret in the transcript' {
        $text = Get-Content -Raw $transcript
        $text | Should -Match 'auth/tokens'
        foreach ($s in $secrets) { $text | Should -Not -Match ([regex]::Escape($s)) }
    }

    It 'no secret in exported contexts' {
        $text = Get-Content -Raw $csv
        foreach ($s in $secrets) { $text | Should -Not -Match ([regex]::Escape($s)) }
    }
}

Describe 'No secret leaks from any cmdlet' -Tag Lab {
    BeforeAll {
        Initialize-TestLab -NoConnect
        $script:journal2 = $env:VDCPS_JOURNAL
        $script:work2 = Join-Path ([IO.Path]::GetTempPath()) "vdcps-sec2-$([guid]::NewGuid())"
        New-Item -ItemType Directory $work2 | Out-Null
        $script:transcript2 = Join-Path $work2 'transcript.txt'
        $ctx = Connect-VdcCloud -Cloud vdcps-lab -Name sec-all
        # The token VdcPS holds is internal; read it by reflection only to know what to search for.
        $flags = [Reflection.BindingFlags]'NonPublic,Public,Instance'
        $session = $ctx.GetType().GetProperty('Session', $flags).GetValue($ctx)
        $tokenInfo = $session.GetType().GetProperty('Token', $flags).GetValue($session)
        $script:contextToken = $tokenInfo.GetType().GetProperty('Token', $flags).GetValue($tokenInfo)
        $script:explicitPassword = New-TestSecret
        $name1 = New-TestTenantName 'sec'
        $name2 = New-TestTenantName 'sec'
        $script:names = @($name1, $name2)

        Start-Transcript -Path $transcript2 | Out-Null
        $first = @(New-VdcTenant -Name $name1 -Plan vdc-small -CustomerId C-SEC -Verbose -Debug *>&1)
        $t1 = $first | Where-Object { $_ -is [VdcPS.Models.VdcTenant] }
        $generated = $t1.Credential.GetNetworkCredential().Password
        $script:streams2 = @($first | ForEach-Object { $_ | Out-String }) + @(& {
            $t1 | Format-List * | Out-String
            $t2 = New-VdcTenant -Name $name2 -Plan vdc-payg -CustomerId C-SEC -Password (ConvertTo-SecureString $explicitPassword -AsPlainText -Force) -Verbose -Debug
            $t2 | Format-List * | Out-String
            # a failure that carries a password
            try { New-VdcTenant -Name admin -Plan vdc-small -CustomerId C-SEC -Password (ConvertTo-SecureString $explicitPassword -AsPlainText -Force) -Verbose -Debug } catch { $_ }
            Get-VdcTenant -Name 'sec-*' -Verbose -Debug | Export-Csv (Join-Path $work2 'tenants.csv') -NoTypeInformation
            Set-VdcTenant -Name $name1 -Plan vdc-medium -Verbose -Debug
            Suspend-VdcTenant -Name $name1 -Verbose -Debug
            Resume-VdcTenant -Name $name1 -Verbose -Debug
            Get-VdcTenant -Name $name1 | Get-VdcQuota -Verbose -Debug | Export-Csv (Join-Path $work2 'quotas.csv') -NoTypeInformation
            Set-VdcQuota -Name $name1 -Quota @{ cores = 16 } -Verbose -Debug -ErrorAction Continue
            $usage = Get-VdcTenant -Name 'sec-*' | Get-VdcUsage -Verbose -Debug -WarningAction SilentlyContinue
            $usage | Export-Csv (Join-Path $work2 'usage.csv') -NoTypeInformation
            $lines = $usage | Measure-VdcCharge -Verbose -Debug
            $lines | Export-Csv (Join-Path $work2 'lines.csv') -NoTypeInformation
            $lines | ConvertTo-VdcInvoice | Export-VdcInvoice -Path (Join-Path $work2 'invoices') -Verbose -Debug
            try { Get-VdcCloudKittyCharge -Start ([datetime]::UtcNow.Date) -End ([datetime]::UtcNow.Date.AddDays(1)) -Verbose -Debug } catch { $_ }
            Get-VdcPlan -Verbose -Debug | Out-String
            Test-VdcPlan -CatalogPath $SampleCatalog -Verbose -Debug | Out-String
            Get-VdcAuditEntry -Verbose -Debug | Export-Csv (Join-Path $work2 'journal.csv') -NoTypeInformation
            Get-VdcContext -ListAvailable | Format-List * | Out-String
            Get-VdcTenant -Name 'sec-*' | Remove-VdcTenant -Confirm:$false -Verbose -Debug
            Disconnect-VdcCloud -Name sec-all -Verbose -Debug
        } *>&1 | ForEach-Object { $_ | Out-String })
        $script:errors2 = $Error | ForEach-Object { ($_ | Format-List * -Force | Out-String) + $_.Exception.ToString() }
        Stop-Transcript | Out-Null
        $script:secrets2 = @($contextToken, $explicitPassword, $generated) | Where-Object { $_ }
    }
    AfterAll {
        $names | ForEach-Object { Remove-TestProject $_ }
        Remove-Item -Recurse -Force $work2 -ErrorAction SilentlyContinue
        Clear-TestLab
    }

    It 'knows the secrets it looks for and produced every kind of output' {
        $secrets2.Count | Should -Be 3
        ($streams2 -join "`n") | Should -Match 'HTTP POST http://127.0.0.1:5000/v3/users -> 201'
        (Get-ChildItem $work2 -Recurse -File).Count | Should -BeGreaterOrEqual 6
    }

    It 'no secret in any stream, error, transcript, journal or exported file' {
        $texts = @($streams2 + $errors2 + (Get-Content -Raw $transcript2) + (Get-Content -Raw $journal2))
        $texts += Get-ChildItem $work2 -Recurse -File | ForEach-Object { Get-Content -Raw $_.FullName }
        $all = $texts -join "`n"
        foreach ($s in $secrets2) { $all | Should -Not -Match ([regex]::Escape($s)) }
    }
}
