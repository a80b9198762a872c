import { Connection } from '@temporalio/client';

test('dev server answers and has the search attributes', async () => {
  const address = process.env.TEMPORAL_TEST_ADDRESS;
  expect(address).toBeTruthy();
  const connection = await Connection.connect({ address: address! });
  try {
    const response = await connection.operatorService.listSearchAttributes({
      namespace: 'default',
    });
    const names = Object.keys(response.customAttributes ?? {});
    expect(names).toEqual(
      expect.arrayContaining([
        'MetaEvent',
        'PixelId',
        'SourceEvent',
        'DeliveryStatus',
        'ReasonCode',
      ]),
    );
  } finally {
    await connection.close();
  }
});
