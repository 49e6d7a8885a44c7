using System;

namespace VdcPS
{
    /// <summary>
    /// The OpenStack client configuration (clouds.yaml, secure.yaml, clouds-public.yaml, OS_*
    /// environment variables) could not give a usable cloud. <see cref="Reason"/> is one of the
    /// <c>Reason*</c> constants; <see cref="FilePath"/>, <see cref="Line"/> and <see cref="Column"/>
    /// say where a file is broken when that is known. The message never contains a secret.
    /// </summary>
    public sealed class CloudConfigException : Exception
    {
        /// <summary>The requested cloud (or region of a cloud) is not defined anywhere.</summary>
        public const string ReasonCloudNotFound = "CloudNotFound";

        /// <summary>A configuration file exists but cannot be used (broken YAML/JSON, wrong shape).</summary>
        public const string ReasonInvalidFile = "InvalidFile";

        /// <summary>No cloud was named and none could be chosen (no OS_CLOUD, no OS_* variables, no single cloud).</summary>
        public const string ReasonNoConfiguration = "NoConfiguration";

        /// <summary>A cloud was found but lacks something needed to authenticate (auth_url, user, secret...).</summary>
        public const string ReasonIncomplete = "Incomplete";

        public CloudConfigException(
            string reason, string message, string? filePath = null, int? line = null, int? column = null, Exception? innerException = null)
            : base(message, innerException)
        {
            Reason = reason ?? throw new ArgumentNullException(nameof(reason));
            FilePath = filePath;
            Line = line;
            Column = column;
        }

        /// <summary>One of <see cref="ReasonCloudNotFound"/>, <see cref="ReasonInvalidFile"/>,
        /// <see cref="ReasonNoConfiguration"/>, <see cref="ReasonIncomplete"/>.</summary>
        public string Reason { get; }

        /// <summary>The configuration file concerned, when there is one.</summary>
        public string? FilePath { get; }

        /// <summary>1-based line of the problem in <see cref="FilePath"/>, when known.</summary>
        public int? Line { get; }

        /// <summary>1-based column of the problem in <see cref="FilePath"/>, when known.</summary>
        public int? Column { get; }
    }
}
