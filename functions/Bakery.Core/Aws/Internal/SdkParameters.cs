using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;

namespace Bakery.Core.Aws.Internal;

internal sealed class SdkParameters(IAmazonSimpleSystemsManagement ssm) : IParameters
{
    /// <summary>SSM's data type for AMI ids: SSM checks the value names an image the account can use (asynchronously).</summary>
    public const string ImageDataType = "aws:ec2:image";

    public async Task<ParameterValue?> GetAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var response = await ssm.GetParameterAsync(new GetParameterRequest { Name = name }, cancellationToken).ConfigureAwait(false);
            return new ParameterValue(response.Parameter.Value, response.Parameter.Version ?? 0);
        }
        catch (ParameterNotFoundException)
        {
            return null;
        }
    }

    public async Task<ParameterRead?> ReadAsync(string name, bool withDecryption, CancellationToken cancellationToken)
    {
        try
        {
            var response = await ssm.GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = withDecryption }, cancellationToken).ConfigureAwait(false);
            var parameter = response.Parameter;
            return new ParameterRead(parameter.Value, parameter.Version ?? 0, parameter.ARN ?? "", parameter.Type?.Value ?? "String");
        }
        catch (ParameterNotFoundException)
        {
            return null;
        }
    }

    public async Task<long> PutImageIdAsync(string name, string imageId, string description, CancellationToken cancellationToken)
    {
        var response = await ssm.PutParameterAsync(
            new PutParameterRequest
            {
                Name = name,
                Value = imageId,
                Type = ParameterType.String,
                DataType = ImageDataType,
                Description = description,
                Overwrite = true,
            },
            cancellationToken).ConfigureAwait(false);
        return response.Version ?? 0;
    }

    public async Task<IReadOnlyList<string>> GetHistoryAsync(string name, CancellationToken cancellationToken)
    {
        var values = new List<string>();
        string? next = null;
        do
        {
            GetParameterHistoryResponse page;
            try
            {
                page = await ssm.GetParameterHistoryAsync(new GetParameterHistoryRequest { Name = name, NextToken = next, MaxResults = 50 }, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (ParameterNotFoundException)
            {
                return values;
            }

            values.AddRange((page.Parameters ?? []).OrderBy(p => p.Version ?? 0).Select(p => p.Value));
            next = page.NextToken is { Length: > 0 } token ? token : null;
        }
        while (next is not null);

        return values;
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await ssm.DeleteParameterAsync(new DeleteParameterRequest { Name = name }, cancellationToken).ConfigureAwait(false);
        }
        catch (ParameterNotFoundException)
        {
            // Already gone: what a delete wants.
        }
    }
}
