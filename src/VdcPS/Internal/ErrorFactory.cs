using System;
using System.Management.Automation;
using System.Net;
using System.Threading.Tasks;

namespace VdcPS.Internal
{
    /// <summary>Builds <see cref="ErrorRecord"/>s with a stable id, a real category and the item as target.</summary>
    internal static class ErrorFactory
    {
        internal static ErrorRecord Create(
            Exception exception,
            string errorId,
            ErrorCategory category,
            object? target,
            string? recommendedAction = null)
        {
            var record = new ErrorRecord(exception, errorId, category, target);
            if (recommendedAction != null)
            {
                record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = recommendedAction };
            }

            return record;
        }

        /// <summary>The error for an unusable plan catalog: PlanCatalogNotFound, PlanCatalogUnreadable or PlanCatalogInvalid.</summary>
        internal static ErrorRecord PlanCatalogError(PlanCatalogException e, object? target)
        {
            switch (e.Reason)
            {
                case PlanCatalogException.ReasonNotFound:
                    return Create(e, ErrorIds.PlanCatalogNotFound, ErrorCategory.ObjectNotFound, target ?? e.FilePath,
                        "Give -CatalogPath, set $env:VDCPS_PLAN_CATALOG, or see Get-Help about_VdcPS_Plans.");
                case PlanCatalogException.ReasonUnreadable:
                    return Create(e, ErrorIds.PlanCatalogUnreadable, ErrorCategory.ReadError, target ?? e.FilePath);
                default:
                    return Create(e, ErrorIds.PlanCatalogInvalid, ErrorCategory.InvalidData, target ?? e.FilePath,
                        "Fix the catalog; Test-VdcPlan lists every problem with its line and column.");
            }
        }

        /// <summary>Maps any failure of a remote call to an error record (category from the HTTP status).</summary>
        internal static ErrorRecord FromException(Exception exception, string errorId, object? target, string? recommendedAction = null)
        {
            exception = Unwrap(exception);
            ErrorCategory category = exception switch
            {
                OpenStackApiException api => CategoryFor(api.StatusCode),
                TimeoutException => ErrorCategory.OperationTimeout,
                TaskCanceledException => ErrorCategory.OperationTimeout,
                VdcServiceUnreachableException => ErrorCategory.ConnectionError,
                VdcAuthenticationException => ErrorCategory.AuthenticationError,
                EndpointNotFoundException => ErrorCategory.ResourceUnavailable,
                UnauthorizedAccessException => ErrorCategory.PermissionDenied,
                ArgumentException => ErrorCategory.InvalidArgument,
                VdcNotKeystoneEndpointException => ErrorCategory.InvalidArgument,
                _ => ErrorCategory.InvalidOperation,
            };
            if (exception is OpenStackApiException apiError && apiError.StatusCode == HttpStatusCode.Unauthorized)
            {
                recommendedAction ??= "Check the credentials, then run Connect-VdcCloud again.";
            }

            return Create(exception, errorId, category, target, recommendedAction);
        }

        internal static ErrorCategory CategoryFor(HttpStatusCode status)
        {
            switch ((int)status)
            {
                case 400: return ErrorCategory.InvalidArgument;
                case 401: return ErrorCategory.AuthenticationError;
                case 403: return ErrorCategory.PermissionDenied;
                case 404: return ErrorCategory.ObjectNotFound;
                case 409: return ErrorCategory.ResourceExists;
                case 413: return ErrorCategory.QuotaExceeded;
                case 408:
                case 504: return ErrorCategory.OperationTimeout;
                case 429:
                case 503: return ErrorCategory.ResourceBusy;
                default: return ErrorCategory.ProtocolError;
            }
        }

        internal static Exception Unwrap(Exception exception)
        {
            while (exception is AggregateException aggregate && aggregate.InnerExceptions.Count == 1)
            {
                exception = aggregate.InnerExceptions[0];
            }

            return exception;
        }
    }
}
