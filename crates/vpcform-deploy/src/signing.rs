//! One SigV4-signed HTTP request, built the same way for every call vpcform makes without an
//! SDK client: the template upload (S3 `PutObject`) and the acceptance steps (EC2 Query, AWS
//! RAM). The SDK's code generation for those services would multiply the deploy feature's build
//! (BENCHMARKS.md, "Build cost").

use std::time::SystemTime;

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
use aws_sigv4::sign::v4;
use aws_smithy_types::body::SdkBody;

/// Where and how a request is signed: the credentials, the region, the signing name (`s3`,
/// `ec2`, `ram`) and the service's settings.
pub(crate) struct Signer<'a> {
    pub(crate) credentials: Credentials,
    pub(crate) region: &'a str,
    pub(crate) service: &'a str,
    pub(crate) settings: SigningSettings,
}

impl Signer<'_> {
    /// `method url` with `body` of `content_type`, signed and ready for an HTTP connector; the
    /// error as text.
    pub(crate) fn request(
        self,
        method: &str,
        url: &str,
        content_type: &str,
        body: &[u8],
    ) -> Result<aws_smithy_runtime_api::http::Request, String> {
        let identity = self.credentials.into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(self.region)
            .name(self.service)
            .time(SystemTime::now())
            .settings(self.settings)
            .build()
            .map_err(|e| e.to_string())?
            .into();
        let headers = [("content-type", content_type)];
        let signable = SignableRequest::new(
            method,
            url,
            headers.iter().copied(),
            SignableBody::Bytes(body),
        )
        .map_err(|e| e.to_string())?;
        let (instructions, _signature) = sign(signable, &params)
            .map_err(|e| e.to_string())?
            .into_parts();
        let mut request = http::Request::builder()
            .method(method)
            .uri(url)
            .header("content-type", content_type)
            .body(SdkBody::from(body.to_vec()))
            .map_err(|e| e.to_string())?;
        instructions.apply_to_request_http1x(&mut request);
        aws_smithy_runtime_api::http::Request::try_from(request).map_err(|e| e.to_string())
    }
}
