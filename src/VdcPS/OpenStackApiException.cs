using System;
using System.Net;

namespace VdcPS
{
    /// <summary>
    /// An OpenStack service answered with an error. Carries what an operator needs to find the
    /// request in the service's logs: method, URL (never with a secret in it), status, request id
    /// and the service's own message.
    /// </summary>
    public class OpenStackApiException : Exception
    {
        public OpenStackApiException(
            string method, Uri url, HttpStatusCode statusCode, string? requestId, string? serverMessage, string? service = null)
            : base(BuildMessage(method, url, statusCode, requestId, serverMessage, service))
        {
            Method = method;
            Url = url;
            StatusCode = statusCode;
            RequestId = requestId;
            ServerMessage = serverMessage;
            Service = service;
        }

        public string Method { get; }

        public Uri Url { get; }

        public HttpStatusCode StatusCode { get; }

        public string? RequestId { get; }

        public string? ServerMessage { get; }

        public string? Service { get; }

        private static string BuildMessage(
            string method, Uri url, HttpStatusCode statusCode, string? requestId, string? serverMessage, string? service)
        {
            string what = string.IsNullOrWhiteSpace(serverMessage) ? statusCode.ToString() : serverMessage!.Trim();
            string rid = string.IsNullOrEmpty(requestId) ? string.Empty : $", request id {requestId}";
            string svc = string.IsNullOrEmpty(service) ? string.Empty : service + ": ";
            return $"{svc}{what} ({(int)statusCode} {statusCode} from {method} {url.GetLeftPart(UriPartial.Path)}{rid})";
        }
    }

    /// <summary>
    /// The auth URL answered, but not as Keystone does (an HTML page with HTTP 200, a JSON document that is
    /// no version document, a token request answered without a token): it is not a Keystone endpoint.
    /// </summary>
    public class VdcNotKeystoneEndpointException : Exception
    {
        public VdcNotKeystoneEndpointException(string message, Exception? inner = null)
            : base(message, inner)
        {
        }
    }

    /// <summary>A service could not be reached at all (DNS, refused, reset, TLS, timeout after retries).</summary>
    public class VdcServiceUnreachableException : Exception
    {
        public VdcServiceUnreachableException(string message, Exception? inner = null)
            : base(message, inner)
        {
        }
    }
}

namespace VdcPS
{
    /// <summary>Keystone refused the credentials (wrong password, secret, expired token...).</summary>
    public class VdcAuthenticationException : Exception
    {
        public VdcAuthenticationException(string message, Exception? inner = null)
            : base(message, inner)
        {
        }
    }

    /// <summary>The cloud's catalog has no endpoint for a service VdcPS needs.</summary>
    public class EndpointNotFoundException : Exception
    {
        public EndpointNotFoundException(string serviceType, string message)
            : base(message)
        {
            ServiceType = serviceType;
        }

        public string ServiceType { get; }
    }
}
