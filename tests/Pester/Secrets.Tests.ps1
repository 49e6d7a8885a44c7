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
        $acBody = @{ application_credential = @{ name = 'vdcps-sec-ac'; secret = $appSecret } } | ConvertTo-Json
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
        Remove-Item $transcript, $csv -ErrorAction SilentlyContinue
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
