using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace VdcPS.Tests.TestSupport
{
    /// <summary>A request as the in-process server saw it.</summary>
    public sealed record SeenRequest(string Method, string Path, Dictionary<string, string> Headers, string Body);

    /// <summary>What the server does with a request.</summary>
    public sealed class Reply
    {
        public int Status { get; init; } = 200;
        public Dictionary<string, string> Headers { get; init; } = new(StringComparer.OrdinalIgnoreCase);
        public string Body { get; init; } = "{}";
        /// <summary>Drop the connection (TCP reset) instead of answering.</summary>
        public bool Reset { get; init; }
        /// <summary>Wait this long before answering.</summary>
        public TimeSpan Delay { get; init; }
        /// <summary>Announce the whole body but send only this many bytes of it, then drop the connection.</summary>
        public int? CutBodyAfter { get; init; }

        public static Reply Json(int status, string body, params (string Name, string Value)[] headers)
        {
            var reply = new Reply { Status = status, Body = body };
            foreach (var (name, value) in headers)
            {
                reply.Headers[name] = value;
            }

            return reply;
        }

        public static Reply ConnectionReset() => new Reply { Reset = true };
    }

    /// <summary>
    /// A real HTTP/1.1 server on 127.0.0.1 (raw TCP), driven by a handler, for the cases a
    /// mocked handler cannot show: resets mid-request, slow answers, Retry-After, 401 then 200.
    /// Every answer closes the connection, as uwsgi's plain http-socket does.
    /// </summary>
    public sealed class ScriptedHttpServer : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly Func<SeenRequest, Reply> _handler;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public ScriptedHttpServer(Func<SeenRequest, Reply> handler)
        {
            _handler = handler;
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
            _loop = Task.Run(AcceptLoop);
        }

        /// <summary>A server that answers from a fixed script, one reply per request, in order.</summary>
        public static ScriptedHttpServer FromScript(params Reply[] replies)
        {
            var queue = new ConcurrentQueue<Reply>(replies);
            return new ScriptedHttpServer(_ => queue.TryDequeue(out Reply? r) ? r : Reply.Json(500, "{\"error\":{\"message\":\"script exhausted\"}}"));
        }

        public Uri BaseUrl { get; }

        public ConcurrentQueue<SeenRequest> Requests { get; } = new();

        public int Count => Requests.Count;

        private async Task AcceptLoop()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch
                {
                    return;
                }

                _ = Task.Run(() => Serve(client));
            }
        }

        private async Task Serve(TcpClient client)
        {
            using (client)
            {
                try
                {
                    NetworkStream stream = client.GetStream();
                    SeenRequest? request = await ReadRequest(stream);
                    if (request == null)
                    {
                        return;
                    }

                    Requests.Enqueue(request);
                    Reply reply = _handler(request);
                    if (reply.Delay > TimeSpan.Zero)
                    {
                        await Task.Delay(reply.Delay, _stop.Token);
                    }

                    if (reply.Reset)
                    {
                        client.Client.LingerState = new LingerOption(true, 0);
                        client.Client.Close();
                        return;
                    }

                    byte[] body = Encoding.UTF8.GetBytes(reply.Body);
                    var head = new StringBuilder();
                    head.Append($"HTTP/1.1 {reply.Status} {Reason(reply.Status)}\r\n");
                    if (!reply.Headers.ContainsKey("Content-Type"))
                    {
                        head.Append("Content-Type: application/json\r\n");
                    }

                    head.Append($"Content-Length: {body.Length}\r\n");
                    head.Append("Connection: close\r\n");
                    foreach (var header in reply.Headers)
                    {
                        head.Append($"{header.Key}: {header.Value}\r\n");
                    }

                    head.Append("\r\n");
                    byte[] headBytes = Encoding.ASCII.GetBytes(head.ToString());
                    await stream.WriteAsync(headBytes);
                    if (reply.CutBodyAfter is int cut && cut < body.Length)
                    {
                        await stream.WriteAsync(body.AsMemory(0, cut));
                        await stream.FlushAsync();
                        client.Client.LingerState = new LingerOption(true, 0);
                        client.Client.Close();
                        return;
                    }

                    await stream.WriteAsync(body);
                    await stream.FlushAsync();
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                }
                catch (IOException)
                {
                }
            }
        }

        private static async Task<SeenRequest?> ReadRequest(NetworkStream stream)
        {
            var buffer = new List<byte>();
            var one = new byte[1];
            while (true)
            {
                int n = await stream.ReadAsync(one);
                if (n == 0)
                {
                    return null;
                }

                buffer.Add(one[0]);
                int c = buffer.Count;
                if (c >= 4 && buffer[c - 4] == '\r' && buffer[c - 3] == '\n' && buffer[c - 2] == '\r' && buffer[c - 1] == '\n')
                {
                    break;
                }
            }

            string[] lines = Encoding.ASCII.GetString(buffer.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            string[] first = lines[0].Split(' ');
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (string line in lines[1..])
            {
                int colon = line.IndexOf(':');
                if (colon > 0)
                {
                    headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
                }
            }

            string body = string.Empty;
            if (headers.TryGetValue("Content-Length", out string? lengthText) && int.TryParse(lengthText, out int length) && length > 0)
            {
                var bytes = new byte[length];
                int read = 0;
                while (read < length)
                {
                    int n = await stream.ReadAsync(bytes.AsMemory(read, length - read));
                    if (n == 0)
                    {
                        break;
                    }

                    read += n;
                }

                body = Encoding.UTF8.GetString(bytes, 0, read);
            }

            return new SeenRequest(first[0], first[1], headers, body);
        }

        private static string Reason(int status) => status switch
        {
            200 => "OK",
            201 => "Created",
            204 => "No Content",
            401 => "Unauthorized",
            404 => "Not Found",
            429 => "Too Many Requests",
            500 => "Internal Server Error",
            503 => "Service Unavailable",
            _ => "Status",
        };

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            try
            {
                _loop.Wait(TimeSpan.FromSeconds(2));
            }
            catch (AggregateException)
            {
            }
        }
    }
}
